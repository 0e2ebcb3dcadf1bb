// Tests loadConfig's layering (defaults < file < env < CLI), aliases, path resolution and how errors name their source.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../errors/corral-error.ts';
import { loadConfig, type LoadOptions } from './load.ts';

const fixtures = new URL('../../test/fixtures/config/', import.meta.url).pathname;
const basic = join(fixtures, 'basic');

function load(options: Partial<LoadOptions>) {
  return loadConfig({ cliValues: {}, env: {}, cwd: basic, ...options });
}

function errorOf(options: Partial<LoadOptions>): ConfigError {
  try {
    load(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults', () => {
  test('with no file, env or flags every setting has its default', () => {
    const { config, warnings } = load({});
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      source: undefined,
      http: [{ kind: 'tcp', host: '127.0.0.1', port: 8080, text: '127.0.0.1:8080' }],
      forwardedAllowIps: ['127.0.0.1', '::1'],
      proxyProtocol: false,
      limitPost: 0,
      clientLimits: {
        headerTimeoutMs: 30_000,
        bodyTimeoutMs: 60_000,
        keepAliveTimeoutMs: 5000,
        sendTimeoutMs: 60_000,
        requestLine: 8190,
        requestFields: 100,
        requestFieldSize: 8190,
        headerSize: 32 * 1024,
        connections: 4096,
        connectionsPerIp: 256,
        abuseBanMs: 10_000,
      },
      stickySessions: false,
      schedulingPolicy: 'shared',
      disableLogging: false,
      staticMap: [],
      staticIndex: ['index.html'],
      staticExpires: [],
      checkStatic: [],
      staticSafe: [],
      staticGzipAll: true,
      staticCompress: true,
      staticCacheSize: 64 * 1024 * 1024,
      staticFallback: [],
      module: undefined,
      processes: 1,
      master: true,
      chdir: undefined,
      env: {},
      gracefulTimeout: 30,
      shutdownDelay: 0,
      vacuum: false,
    });
  });

  test('the result is frozen plain data', () => {
    const { config } = load({ configFile: 'app.ini' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.staticMap[0])).toBe(true);
    expect(JSON.parse(JSON.stringify(config))).toEqual(JSON.parse(JSON.stringify({ ...config })));
  });
});

describe('precedence', () => {
  test('an env var overrides the config file', () => {
    const { config } = load({ configFile: 'app.ini', env: { CORRAL_PROCESSES: '4', CORRAL_VACUUM: 'off' } });
    expect(config.processes).toBe(4);
    expect(config.vacuum).toBe(false);
  });

  test('a CLI flag overrides the env var', () => {
    const { config } = load({ configFile: 'app.ini', env: { CORRAL_PROCESSES: '4' }, cliValues: { processes: '6' } });
    expect(config.processes).toBe(6);
  });

  test('a repeated CLI flag builds a list that replaces the lower list whole', () => {
    const { config } = load({
      configFile: 'app.ini',
      env: { CORRAL_HTTP: ':7000' },
      cliValues: { http: [':9001', '/tmp/corral-test.sock'] },
    });
    expect(config.http.map((address) => address.text)).toEqual([':9001', '/tmp/corral-test.sock']);
  });

  test('a list env var is comma-separated, items trimmed, empty items dropped', () => {
    const { config } = load({ env: { CORRAL_HTTP: ':7001, 127.0.0.1:7002,,', CORRAL_ENV: 'A=1,B=two' } });
    expect(config.http.map((address) => address.text)).toEqual([':7001', '127.0.0.1:7002']);
    expect(config.env).toEqual({ A: '1', B: 'two' });
  });

  test('an empty env var counts as unset, and other CORRAL_* variables are left alone', () => {
    const { config } = load({ configFile: 'app.ini', env: { CORRAL_PROCESSES: '', CORRAL_WORKER_CONFIG: '{}' } });
    expect(config.processes).toBe(10);
  });

  test('an alias works from every source', () => {
    expect(load({ env: { CORRAL_WORKERS: '3' } }).config.processes).toBe(3);
    expect(load({ cliValues: { workers: '5' } }).config.processes).toBe(5);
  });
});

describe('values', () => {
  test('"auto" processes is one per CPU', () => {
    expect(load({ cliValues: { processes: 'auto' } }).config.processes).toBe(availableParallelism());
    expect(load({ env: { CORRAL_PROCESSES: 'AUTO' } }).config.processes).toBe(availableParallelism());
  });

  test('booleans accept the usual words from env and CLI', () => {
    expect(load({ env: { CORRAL_MASTER: 'No' } }).config.master).toBe(false);
    expect(load({ cliValues: { master: false, vacuum: 'YES' } }).config).toMatchObject({ master: false, vacuum: true });
  });

  test('master false with several processes warns, naming where processes came from', () => {
    const { warnings } = load({ configFile: 'app.ini', cliValues: { master: 'false' } });
    expect(warnings).toContain(
      'app.ini:9: processes: 10 is ignored because master is false: one process serves, with no supervisor',
    );
  });

  test('sticky-sessions without a master warns', () => {
    const { warnings } = load({
      cliValues: { master: 'false', 'sticky-sessions': true },
      cliOrigins: { 'sticky-sessions': '--sticky-sessions' },
    });
    expect(warnings.some((warning) => warning.includes('sticky-sessions: ignored because master is false'))).toBe(true);
  });

  test('ignored uWSGI options on the command line warn', () => {
    const { warnings } = load({
      cliValues: { 'enable-threads': true },
      cliOrigins: { 'enable-threads': '--enable-threads' },
    });
    expect(warnings).toEqual([
      '--enable-threads: ignoring "enable-threads": it turns on Python threads; Node.js apps start worker threads on their own',
    ]);
  });
});

describe('paths', () => {
  test('without a config file relative paths resolve against cwd', () => {
    const { config } = load({ cliValues: { 'static-map': ['/s=static'], module: 'app' } });
    expect(config.staticMap).toEqual([{ prefix: '/s', dir: join(basic, 'static') }]);
    expect(config.module).toEqual({ file: join(basic, 'app.js'), exportName: undefined });
  });

  test('with a config file they resolve against its directory, even from flags', () => {
    const { config } = load({
      configFile: join(basic, 'app.yaml'),
      cwd: fixtures,
      cliValues: { 'static-map': ['/m/=media'] },
    });
    expect(config.staticMap).toEqual([{ prefix: '/m', dir: join(basic, 'media') }]);
  });

  test('chdir resolves against cwd without a file, and other paths resolve against chdir', () => {
    const { config } = load({
      cwd: fixtures,
      cliValues: { chdir: 'basic', module: 'app.js:handler', http: ['./run/app.sock'] },
    });
    expect(config.chdir).toBe(basic);
    expect(config.module).toEqual({ file: join(basic, 'app.js'), exportName: 'handler' });
    expect(config.http).toEqual([
      { kind: 'unix', path: join(basic, 'run/app.sock'), text: join(basic, 'run/app.sock') },
    ]);
  });

  test('a missing chdir is an error naming the flag', () => {
    expect(errorOf({ cliValues: { chdir: 'nope' } }).message).toBe(
      `--chdir: directory "${join(basic, 'nope')}" does not exist`,
    );
  });

  test('a static-map target that is a file is an error', () => {
    expect(errorOf({ env: { CORRAL_STATIC_MAP: '/x=app.js' } }).message).toBe(
      `CORRAL_STATIC_MAP: "${join(basic, 'app.js')}" is not a directory (for "/x")`,
    );
  });
});

describe('errors', () => {
  test('an env var error starts with the variable, a flag error with the flag', () => {
    expect(errorOf({ env: { CORRAL_PROCESSES: 'four' } }).message).toBe(
      'CORRAL_PROCESSES: expected an integer >= 1 or "auto", got "four"',
    );
    expect(errorOf({ cliValues: { processes: 'four' } }).message).toBe(
      '--processes: expected an integer >= 1 or "auto", got "four"',
    );
    expect(errorOf({ cliValues: { master: 'maybe' }, cliOrigins: { master: '--master' } }).message).toBe(
      '--master: expected true/false, yes/no, on/off or 1/0, got "maybe"',
    );
  });

  test('every problem from every source is reported at once, with exit code 2', () => {
    const error = errorOf({
      configFile: 'app.ini',
      env: { CORRAL_GRACEFUL_TIMEOUT: '0' },
      cliValues: { proceses: '2', http: ['nope'] },
    });
    expect(error.exitCode).toBe(2);
    expect(error.message.split('\n')).toEqual([
      'unknown option "--proceses" (did you mean "--processes"?)',
      'CORRAL_GRACEFUL_TIMEOUT: expected a number of seconds > 0, got "0"',
      '--http: expected an address like ":8080", "8080", "127.0.0.1:8080", "[::1]:8080", or a unix socket path containing "/", got "nope"',
    ]);
  });

  test('an alias and its key in the same source conflict', () => {
    expect(errorOf({ env: { CORRAL_PROCESSES: '2', CORRAL_WORKERS: '3' } }).message).toBe(
      'CORRAL_WORKERS: CORRAL_WORKERS and CORRAL_PROCESSES are the same setting; give only one',
    );
    expect(errorOf({ cliValues: { processes: '2', workers: '3' } }).message).toBe(
      '--workers: "--workers" and "--processes" are the same setting; give only one',
    );
  });

  test('an alias in a higher source just overrides the key in a lower one', () => {
    expect(load({ configFile: 'app.ini', cliValues: { workers: '2' } }).config.processes).toBe(2);
  });

  test('a missing config file is a ConfigError', () => {
    expect(errorOf({ configFile: 'nope.yaml' }).message).toBe('nope.yaml: config file not found');
  });

  test('a forced format reads any extension', () => {
    const error = errorOf({ configFile: 'app.ini', configFormat: 'yaml' });
    expect(error.message).toMatch(/^app\.ini:\d+: /);
  });
});
