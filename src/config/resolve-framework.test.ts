// Tests how a recognised framework fills the settings the user left unset, and how the user's own settings win.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../errors/corral-error.ts';
import { loadConfig, type LoadOptions } from './load.ts';

const root = mkdtempSync(join(tmpdir(), 'corral-resolve-framework-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A SvelteKit project built with adapter-node, plus a file of the user's own. */
function svelteKitProject(name: string): string {
  const dir = join(root, name);
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-node': '5' } }),
    'build/handler.js': 'export const handler = (req, res, next) => res.end("kit");\n',
    'build/client/_app/immutable/a.js': '',
    'server.mjs': 'export default (req, res) => res.end("own");\n',
    'assets/x.txt': 'x',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const project = svelteKitProject('kit');
const load = (options: Partial<LoadOptions>) => loadConfig({ cliValues: {}, env: {}, cwd: root, ...options }).config;

describe('framework: auto (the default)', () => {
  test('`corral DIR` changes into the project and serves its build: module, static directories, cache rule, env', () => {
    const config = load({ configFile: 'kit' });
    expect(config.chdir).toBe(project);
    expect(config.framework).toEqual({
      name: 'sveltekit',
      title: 'SvelteKit',
      dir: project,
      evidence: 'build/handler.js',
      glue: false,
      env: { NODE_ENV: 'production', PROTOCOL_HEADER: 'x-forwarded-proto', HOST_HEADER: 'x-forwarded-host' },
      forwardedProto: true,
    });
    expect(config.module).toEqual({ file: join(project, 'build/handler.js'), exportName: 'handler' });
    expect(config.checkStatic).toEqual([join(project, 'build/client')]);
    expect(config.staticExpires).toHaveLength(1);
    expect(config.staticExpires[0]!.seconds).toBe(31536000);
    const immutable = new RegExp(config.staticExpires[0]!.pattern);
    expect(immutable.test(join(project, 'build/client/_app/immutable/a.js'))).toBe(true);
    expect(immutable.test(join(project, 'build/client/_app/version.json'))).toBe(false);
  });

  test('a module the user names means no looking at all', () => {
    const config = load({ cliValues: { chdir: 'kit', module: 'server.mjs' } });
    expect(config.framework).toBeUndefined();
    expect(config.checkStatic).toEqual([]);
  });

  test('each setting the user gives wins over the framework choice for it; env by name', () => {
    const config = load({
      configFile: 'kit',
      cliValues: { 'check-static': ['assets'], env: ['HOST_HEADER=host', 'OTHER=1'] },
    });
    expect(config.checkStatic).toEqual([join(project, 'assets')]);
    expect(config.module?.file).toBe(join(project, 'build/handler.js'));
    expect(config.framework?.env).toEqual({ NODE_ENV: 'production', PROTOCOL_HEADER: 'x-forwarded-proto' });
    expect(config.env).toEqual({ HOST_HEADER: 'host', OTHER: '1' });
  });

  test('a directory with no framework build serves as before', () => {
    const config = load({ cliValues: { chdir: 'kit/assets' } });
    expect(config.framework).toBeUndefined();
    expect(config.module).toBeUndefined();
  });
});

test("Nuxt's build manifest (builds/latest.json) keeps a short cache; the hashed files beside it a year", () => {
  const dir = join(root, 'nuxt');
  mkdirSync(join(dir, '.output/public/_nuxt/builds'), { recursive: true });
  mkdirSync(join(dir, '.output/server'), { recursive: true });
  writeFileSync(join(dir, '.output/server/index.mjs'), 'export const listener = () => {};\n');
  writeFileSync(join(dir, '.output/nitro.json'), JSON.stringify({ preset: 'node-listener' }));
  const [rule] = load({ configFile: 'nuxt' }).staticExpires;
  const immutable = new RegExp(rule!.pattern);
  expect(immutable.test(join(dir, '.output/public/_nuxt/entry.B1x2.js'))).toBe(true);
  expect(immutable.test(join(dir, '.output/public/_nuxt/builds/meta/4f1e.json'))).toBe(true);
  expect(immutable.test(join(dir, '.output/public/_nuxt/builds/latest.json'))).toBe(false);
});

describe('framework: NAME and none', () => {
  test('a name insists: its static choices apply even beside the user module', () => {
    const config = load({ cliValues: { chdir: 'kit', module: 'server.mjs', framework: 'sveltekit' } });
    expect(config.module).toEqual({ file: join(project, 'server.mjs'), exportName: undefined });
    expect(config.checkStatic).toEqual([join(project, 'build/client')]);
  });

  test('a named framework whose build is not there is a config error naming the setting and the fix', () => {
    expect(() => load({ cliValues: { chdir: 'kit', framework: 'next' } })).toThrow(ConfigError);
    expect(() => load({ cliValues: { chdir: 'kit', framework: 'next' } })).toThrow(
      /--framework: .*kit: no Next\.js project or build is there \(to serve something else, set `module`, or `framework: none`\)/,
    );
  });

  test('none never looks', () => {
    expect(load({ configFile: 'kit', cliValues: { framework: 'none' } }).framework).toBeUndefined();
  });

  test('an unknown name lists the choices', () => {
    expect(() => load({ cliValues: { framework: 'rails' } })).toThrow(/one of "auto", "none", "next", "nuxt"/);
  });

  test('a project directory and --chdir together are refused', () => {
    expect(() => load({ configFile: 'kit', cliValues: { chdir: 'kit' } })).toThrow(/is a directory and --chdir/);
  });
});
