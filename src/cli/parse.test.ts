// Tests parseArgs: commands, flag forms, config file flags, and the usage errors (exit code 2).
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../errors/corral-error.ts';
import { loadConfig } from '../config/load.ts';
import { parseArgs } from './parse.ts';

function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      expect(error.exitCode).toBe(2);
      return error.message;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('commands', () => {
  test('a config file alone serves it', () => {
    expect(parseArgs(['app.yaml'])).toEqual({ name: 'serve', configFile: 'app.yaml', cliValues: {}, cliOrigins: {} });
  });

  test('no arguments serves with flags and defaults only', () => {
    expect(parseArgs([])).toEqual({ name: 'serve', cliValues: {}, cliOrigins: {} });
  });

  test('check takes a config file and flags', () => {
    expect(parseArgs(['check', 'app.ini', '--processes', '2'])).toEqual({
      name: 'check',
      configFile: 'app.ini',
      cliValues: { processes: '2' },
      cliOrigins: { processes: '--processes' },
    });
    expect(parseArgs(['serve', 'app.ini']).name).toBe('serve');
  });

  test('help and version win wherever they are', () => {
    for (const flag of ['--help', '-h']) expect(parseArgs(['app.yaml', flag, '--bogus'])).toEqual({ name: 'help' });
    for (const flag of ['--version', '-v']) expect(parseArgs([flag])).toEqual({ name: 'version' });
  });
});

describe('flags', () => {
  test('values come as the next argument or after "="; list flags repeat', () => {
    const command = parseArgs([
      '--http',
      ':8080',
      '--module',
      './app.js',
      '--static-map',
      '/static=./public',
      '--processes',
      '4',
      '--http=127.0.0.1:9000',
    ]);
    expect(command).toMatchObject({
      cliValues: {
        http: [':8080', '127.0.0.1:9000'],
        module: './app.js',
        'static-map': ['/static=./public'],
        processes: '4',
      },
    });
  });

  test('boolean flags: --master, --no-master, --master=VALUE, never the next argument', () => {
    expect(parseArgs(['--master'])).toMatchObject({ cliValues: { master: true } });
    expect(parseArgs(['--no-master', 'app.yaml'])).toMatchObject({
      configFile: 'app.yaml',
      cliValues: { master: false },
      cliOrigins: { master: '--no-master' },
    });
    expect(parseArgs(['--vacuum=off'])).toMatchObject({ cliValues: { vacuum: 'off' } });
  });

  test('aliases are kept as typed so loadConfig can name them', () => {
    expect(parseArgs(['--workers', '3'])).toMatchObject({
      cliValues: { workers: '3' },
      cliOrigins: { workers: '--workers' },
    });
  });

  test('a value may start with "-" only via "=" (or be a negative number)', () => {
    expect(parseArgs(['--graceful-timeout', '-1'])).toMatchObject({ cliValues: { 'graceful-timeout': '-1' } });
    expect(parseArgs(['--env=-X=1'])).toMatchObject({ cliValues: { env: ['-X=1'] } });
  });

  test('ignored uWSGI flags are passed on (loadConfig warns); switches take no value', () => {
    expect(parseArgs(['--home', '/srv/venv', '--enable-threads', 'app.ini'])).toMatchObject({
      configFile: 'app.ini',
      cliValues: { home: '/srv/venv', 'enable-threads': true },
    });
  });
});

describe('config file flags', () => {
  test('--config names the file; --ini/--yaml/--json also fix its format', () => {
    expect(parseArgs(['--config', 'a.yaml'])).toMatchObject({ configFile: 'a.yaml' });
    expect(parseArgs(['--config', 'a.yaml'])).not.toHaveProperty('configFormat');
    expect(parseArgs(['--ini', 'uwsgi.conf'])).toMatchObject({ configFile: 'uwsgi.conf', configFormat: 'ini' });
    expect(parseArgs(['--yaml=a.txt'])).toMatchObject({ configFile: 'a.txt', configFormat: 'yaml' });
    expect(parseArgs(['check', '--json', 'a.json'])).toMatchObject({
      name: 'check',
      configFile: 'a.json',
      configFormat: 'json',
    });
  });

  test('after "--" every argument is a file name', () => {
    expect(parseArgs(['--processes', '2', '--', '--odd.yaml'])).toMatchObject({
      configFile: '--odd.yaml',
      cliValues: { processes: '2' },
    });
  });
});

describe('usage errors', () => {
  test('an unknown flag suggests the closest one', () => {
    expect(usageError(['--proceses', '4'])).toBe(
      'unknown option "--proceses" (did you mean "--processes"?); see corral --help',
    );
    expect(usageError(['--static_map', '/a=b'])).toBe(
      'unknown option "--static_map" (did you mean "--static-map"?); see corral --help',
    );
    expect(usageError(['-x'])).toBe('unknown option "-x"; see corral --help');
  });

  test('a missing value names the flag and what it wants', () => {
    expect(usageError(['--http'])).toBe('--http: missing value (ADDRESS)');
    expect(usageError(['--module', '--http', ':80'])).toBe('--module: missing value (FILE[:EXPORT])');
    expect(usageError(['--ini'])).toBe('--ini: missing value (FILE)');
  });

  test('two config files are refused', () => {
    expect(usageError(['a.yaml', 'b.ini'])).toBe('two config files given ("a.yaml" and "b.ini"); give one');
    expect(usageError(['--config', 'a.yaml', 'b.ini'])).toBe('two config files given ("a.yaml" and "b.ini"); give one');
  });

  test('a non-list flag given twice is refused', () => {
    expect(usageError(['--processes', '2', '--processes', '3'])).toMatch(
      /^--processes: given twice; only list options \(--http, --static-map, (--[a-z-]+, )*--env, --touch-reload, --watch(, --[a-z-]+)*\) can repeat$/,
    );
  });

  test('--no-flag takes no value', () => {
    expect(usageError(['--no-master=1'])).toBe('--no-master: takes no value (use --master=1)');
  });
});

test('corral check app.ini --processes 2 loads the uWSGI example with the override', () => {
  const command = parseArgs(['check', 'app.ini', '--processes', '2', '--no-vacuum']);
  if (command.name !== 'check') throw new Error('expected check');
  const cwd = new URL('../../test/fixtures/config/basic/', import.meta.url).pathname;
  const { config, warnings } = loadConfig({ ...command, env: {}, cwd });
  expect(config).toMatchObject({ processes: 2, vacuum: false, source: join(cwd, 'app.ini') });
  expect(warnings).toHaveLength(1);
});
