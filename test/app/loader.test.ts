// Loader tests through a child process running the loader bundled to CommonJS, as corral ships it (vitest would intercept import()).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeStripsTypes } from '../../src/app/import-module.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const apps = path.join(root, 'test/fixtures/apps');
/** Inside the repo's node_modules, so esbuild is found from the runner's own location (as from dist/). */
const runnerDir = path.join(root, 'node_modules/.cache/corral-test');
const runner = path.join(runnerDir, `loader-runner-${process.pid}.cjs`);
/** Outside any node_modules: a TypeScript app there, loaded by a runner there, finds no esbuild. */
const outside = mkdtempSync(path.join(os.tmpdir(), 'corral-loader-'));
const node26 = process.env.CORRAL_TEST_NODE26;

interface Outcome {
  ref: string;
  shape?: string;
  name?: string;
  body?: string;
  error?: { name: string; code: string; exitCode: number; message: string };
}

interface Run {
  outcomes: Map<string, Outcome>;
  stderr: string;
}

function runLoader(
  refs: string[],
  options: { node?: string; script?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      options.node ?? process.execPath,
      [options.script ?? runner, ...refs],
      { timeout: 20_000, cwd: root, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`loader runner failed: ${error.message}\n${stderr}`));
        const outcomes = new Map<string, Outcome>();
        for (const line of stdout.trim().split('\n')) {
          const outcome = JSON.parse(line) as Outcome;
          outcomes.set(path.relative(apps, outcome.ref), outcome);
        }
        resolve({ outcomes, stderr });
      },
    );
  });
}

function ok(run: Run, ref: string): Outcome {
  const outcome = run.outcomes.get(ref);
  expect(outcome?.error?.message, ref).toBeUndefined();
  return outcome!;
}

function failed(run: Run, ref: string): { code: string; exitCode: number; message: string } {
  const error = run.outcomes.get(ref)?.error;
  expect(error, ref).toBeDefined();
  expect(error).toMatchObject({ name: 'AppLoadError', exitCode: 3 });
  expect(error!.message).toMatch(new RegExp(`^Cannot load the app from ${path.join(apps, ref.split('#')[0]!)}: `));
  expect(error!.message).toContain('corral accepts');
  return error!;
}

const REFS = [
  'esm-fetch.mjs',
  'cjs-listener.cjs',
  'js-esm/app.js',
  'js-cjs/app.js',
  'tla.mjs',
  'named.mjs#api',
  'named.mjs',
  'koa-like.mjs',
  'fastify-like.mjs',
  'http-server.cjs',
  'ts-app/app.ts',
  'ts-enum.ts',
  'ts-cjs.cts',
  'warns.mjs',
  'missing.mjs',
  'throws.mjs',
  'bad-syntax.mjs',
  'nothing.mjs',
  'null-default.mjs',
  'no-shape.mjs',
  'named.mjs#nope',
];
let node20: Run;

beforeAll(async () => {
  mkdirSync(runnerDir, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'test/app/loader-runner.ts')],
    outfile: runner,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['esbuild'],
    logLevel: 'warning',
  });
  cpSync(runner, path.join(outside, 'runner.cjs'));
  cpSync(path.join(apps, 'ts-app'), path.join(outside, 'ts-app'), { recursive: true });
  node20 = await runLoader(REFS.map((ref) => path.join(apps, ref)));
});

afterAll(() => {
  rmSync(runner, { force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('loadApp from the CommonJS bundle, on this Node', () => {
  it.each([
    ['esm-fetch.mjs', 'fetch', 'esm-fetch /probe'],
    ['cjs-listener.cjs', 'node-listener', 'cjs-listener'],
    ['js-esm/app.js', 'node-listener', 'js-esm'],
    ['js-cjs/app.js', 'fetch', 'js-cjs'],
    ['tla.mjs', 'fetch', 'tla'],
    ['koa-like.mjs', 'koa', 'koa-like'],
    ['fastify-like.mjs', 'fastify', 'fastify-like'],
    ['http-server.cjs', 'http-server', 'http-server'],
    ['ts-cjs.cts', 'node-listener', 'ts-cjs string'],
  ])('loads %s as %s', (ref, shape, body) => {
    expect(ok(node20, ref)).toMatchObject({ shape, body, name: `${path.basename(ref)}:default` });
  });

  it('picks a named export with file:name', () => {
    expect(ok(node20, 'named.mjs#api')).toMatchObject({
      shape: 'node-listener',
      name: 'named.mjs:api',
      body: 'named api',
    });
  });

  it('loads a .ts app importing another .ts file, keeping import.meta.url on the source', () => {
    expect(ok(node20, 'ts-app/app.ts')).toMatchObject({ shape: 'fetch', body: 'ts-app /probe from routes.ts' });
  });

  it.runIf(!nodeStripsTypes())('transpiles an enum with esbuild where Node cannot strip types', () => {
    // The enum error only exists where Node's type stripping loads the file (see the Node 26 tests below).
    expect(ok(node20, 'ts-enum.ts').body).toBe('ts-enum');
    expect(
      readdirSync(path.join(root, 'node_modules/.cache/corral')).some((f) => /^ts-enum-[0-9a-f]{16}\.mjs$/.test(f)),
    ).toBe(true);
  });

  it("hides the loader's ExperimentalWarning and nothing else", () => {
    expect(node20.stderr).not.toContain('ExperimentalWarning');
    expect(node20.stderr).toContain('fixture warning from warns.mjs');
    expect(ok(node20, 'warns.mjs').body).toBe('warns');
  });

  it('reports a missing file', () => {
    expect(failed(node20, 'missing.mjs').message).toContain(`file "${path.join(apps, 'missing.mjs')}" does not exist`);
  });

  it('probes every loadable extension, and refuses the others as `corral check` does', async () => {
    const dir = path.join(outside, 'kinds');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'app.mts'), 'export default { fetch: (): Response => new Response("mts") };\n');
    writeFileSync(path.join(dir, 'app.json'), '{}\n');
    const run = await runLoader([path.join(dir, 'app'), path.join(dir, 'app.json')]);
    const [probed, json] = [...run.outcomes.values()];
    expect(probed).toMatchObject({ shape: 'fetch', name: 'app.mts:default', body: 'mts' });
    expect(json?.error?.exitCode).toBe(3);
    expect(json?.error?.message).toContain(
      'has the extension ".json", and corral only loads .js, .mjs, .cjs, .ts, .mts or .cts files',
    );
  });

  it('reports a module that throws, with the first stack line and no trace', () => {
    const { message } = failed(node20, 'throws.mjs');
    expect(message).toContain(
      `it threw while loading: TypeError: database url missing (at connect (file://${apps}/throws.mjs:3:9))`,
    );
    expect(message).not.toContain('\n');
  });

  it('reports a syntax error and how to find it (Node gives no location for ES modules)', () => {
    const { message } = failed(node20, 'bad-syntax.mjs');
    expect(message).toContain("it failed to parse: SyntaxError: Unexpected token '='; `node --check <file>`");
    expect(message).not.toContain('node:internal');
  });

  it('reports modules that export nothing usable', () => {
    expect(failed(node20, 'nothing.mjs').message).toContain('it has no default export (it exports "title", "version")');
    expect(failed(node20, 'null-default.mjs').message).toContain('its default export is null');
    expect(failed(node20, 'no-shape.mjs').message).toContain('its export is an object with keys routes, port');
    expect(failed(node20, 'named.mjs').message).toContain('its export is a number (42)');
    expect(failed(node20, 'named.mjs#nope').message).toContain('it has no export named "nope"');
  });
});

describe.runIf(!nodeStripsTypes())('TypeScript outside any node_modules, on a Node without type stripping', () => {
  it('writes the transpiled copy to .corral-cache beside the app when esbuild is found', async () => {
    const run = await runLoader([path.join(outside, 'ts-app/app.ts')]);
    expect(run.outcomes.values().next().value).toMatchObject({ shape: 'fetch', body: 'ts-app /probe from routes.ts' });
    expect(readdirSync(path.join(outside, 'ts-app/.corral-cache'))).toEqual([
      expect.stringMatching(/^app-[0-9a-f]{16}\.mjs$/),
    ]);
  });

  it('falls back to the temp directory when the app directory cannot hold the copy', async () => {
    const app = path.join(outside, 'ro-app');
    cpSync(path.join(apps, 'ts-app'), app, { recursive: true });
    writeFileSync(path.join(app, '.corral-cache'), 'a file where the cache folder would go\n');
    const tmp = path.join(outside, 'tmp-a');
    const run = await runLoader([path.join(app, 'app.ts')], { env: { ...process.env, TMPDIR: tmp } });
    expect(run.outcomes.values().next().value).toMatchObject({ shape: 'fetch', body: 'ts-app /probe from routes.ts' });
    expect(readdirSync(path.join(tmp, 'corral-ts-cache'))).toEqual([expect.stringMatching(/^app-[0-9a-f]{16}\.mjs$/)]);
  });

  it('says why when a package import does not resolve from the temp directory copy', async () => {
    const app = path.join(outside, 'pkg-app');
    mkdirSync(path.join(app, 'node_modules', 'fake-pkg'), { recursive: true });
    writeFileSync(
      path.join(app, 'node_modules', 'fake-pkg', 'package.json'),
      '{"name":"fake-pkg","main":"index.js"}\n',
    );
    writeFileSync(path.join(app, 'node_modules', 'fake-pkg', 'index.js'), 'module.exports = "fake";\n');
    writeFileSync(path.join(app, 'node_modules', '.cache'), 'a file where the cache folder would go\n');
    writeFileSync(
      path.join(app, 'app.ts'),
      "import pkg from 'fake-pkg';\nexport default (_q: unknown, r: { end(s: string): void }) => r.end(pkg);\n",
    );
    const tmp = path.join(outside, 'tmp-b');
    const run = await runLoader([path.join(app, 'app.ts')], { env: { ...process.env, TMPDIR: tmp } });
    const error = run.outcomes.values().next().value?.error;
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toContain(
      `its transpiled copy could not be written to ${path.join(app, 'node_modules', '.cache', 'corral')}`,
    );
    expect(error?.message).toContain(
      `so it went to ${path.join(tmp, 'corral-ts-cache')}, from where the packages it imports cannot be found`,
    );
    expect(error?.message).toContain('fake-pkg');
    expect(error?.message).toContain('Node >= 22.18');
  });

  it('says Node >= 22.18 or esbuild fixes it when esbuild cannot be found', async () => {
    let reachable = true;
    try {
      createRequire(path.join(outside, 'runner.cjs'))('esbuild');
    } catch {
      reachable = false;
    }
    if (reachable) return; // a global esbuild on this machine: nothing to prove here
    const app = path.join(outside, 'ts-app/app.ts');
    const run = await runLoader([app], { script: path.join(outside, 'runner.cjs') });
    const error = run.outcomes.values().next().value?.error;
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toContain('cannot strip types, and esbuild could not be loaded');
    expect(error?.message).toContain('Node >= 22.18');
    expect(error?.message).toContain('npm install esbuild');
  });
});

// CORRAL_TEST_NODE26 names a Node 26 binary; vitest.config.ts points it at the one `npm run build` caches.
describe.runIf(node26 !== undefined && existsSync(node26))('loadApp on Node 26 (type stripping)', () => {
  let run: Run;
  beforeAll(async () => {
    const refs = [
      'esm-fetch.mjs',
      'tla.mjs',
      'js-cjs/app.js',
      'ts-app/app.ts',
      'ts-cjs.cts',
      'ts-enum.ts',
      'warns.mjs',
    ];
    run = await runLoader(
      refs.map((ref) => path.join(apps, ref)),
      { node: node26 },
    );
  });

  it('loads JavaScript and TypeScript directly, without the loader warning', () => {
    expect(ok(run, 'esm-fetch.mjs').shape).toBe('fetch');
    expect(ok(run, 'tla.mjs').body).toBe('tla');
    expect(ok(run, 'js-cjs/app.js').body).toBe('js-cjs');
    expect(ok(run, 'ts-app/app.ts').body).toBe('ts-app /probe from routes.ts');
    expect(ok(run, 'ts-cjs.cts').body).toBe('ts-cjs string');
    expect(run.stderr).not.toContain('ExperimentalWarning');
    expect(run.stderr).toContain('fixture warning from warns.mjs');
  });

  it('explains an enum: which syntax, and what to do', () => {
    const { message } = failed(run, 'ts-enum.ts');
    expect(message).toContain("it uses TypeScript enum, which Node's type stripping cannot run");
    expect(message).toContain('replace the enum with a const object');
    expect(message).toContain('precompile');
  });
});
