// corral pack end to end: the Express, fetch and TypeScript apps packed (from the executable and from the npm bundle), run from an empty directory with `env -i`; a native addon refused.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are app sources written to disk, template literals and all.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXECUTABLE, runCorral, startCorral, stopAll, stopGracefully, type Running } from '../harness.ts';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const BUNDLE = join(repo, 'dist', 'corral.cjs');
/** Projects live inside the repository, so the apps' packages (express, multer...) resolve from its node_modules. */
let projects: string;
/** Where the packed executables are written and run: no node_modules anywhere above. */
let outside: string;
const packed: Record<'express' | 'fetch' | 'typescript', string> = { express: '', fetch: '', typescript: '' };
let refusal: { code: number | null; stderr: string };

/** 1 KiB of bytes that do not compress well, and a stylesheet with a precompressed sibling. */
const binary = createHash('sha512').update('corral').digest().toString('hex').repeat(8).slice(0, 1024);
const css = `body { color: #333; }\n${'.a { margin: 0 }\n'.repeat(100)}`;

function project(name: string, files: Record<string, string | Buffer>, config: string): string {
  const dir = join(projects, name);
  for (const [file, text] of Object.entries({ ...files, 'corral.yaml': config })) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** `corral pack` run by the npm bundle on this machine's Node, bounded. */
function packWithBundle(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BUNDLE, 'pack', ...args], { cwd, timeout: 60_000 }, (error, _stdout, stderr) =>
      error === null ? resolve() : reject(new Error(`${error.message}\n${stderr}`)),
    );
  });
}

beforeAll(async () => {
  mkdirSync(join(repo, '.cache'), { recursive: true });
  projects = mkdtempSync(join(repo, '.cache', 'pack-e2e-'));
  outside = mkdtempSync(join(tmpdir(), 'corral-packed-'));
  const express = project(
    'express',
    {
      'package.json': JSON.stringify({ name: 'packed-express', version: '1.2.3' }),
      'public/data.bin': binary,
      'public/style.css': css,
      'public/style.css.gz': gzipSync(css),
      'public/docs/index.html': '<h1>docs</h1>\n',
    },
    `module: ${join(repo, 'test/apps/express/app.mjs')}\nstatic-map:\n  - /files=public\nprocesses: 2\n`,
  );
  const fetchApp = project(
    'fetch',
    { 'package.json': JSON.stringify({ name: 'packed-fetch' }), 'static/hello.txt': 'hello, packed\n' },
    `module: ${join(repo, 'test/apps/fetch/app.mjs')}\ncheck-static:\n  - static\nprocesses: 1\n`,
  );
  const typescript = project(
    'typescript',
    {
      'package.json': JSON.stringify({ name: 'packed-ts', version: '0.0.1' }),
      // An enum: esbuild's transform, which Node's type stripping would refuse.
      'src/app.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { greet } from './greet.ts';",
        'enum Mood { Glad = 1 }',
        "const note: string = readFileSync(new URL('../data/note.txt', import.meta.url), 'utf8').trim();",
        'export default { fetch: (_request: Request): Response => new Response(`${greet(Mood.Glad)}; ${note}`) };',
      ].join('\n'),
      'src/greet.ts': 'export const greet = (mood: number): string => `mood ${mood}`;\n',
      'data/note.txt': 'read from --include\n',
    },
    'module: src/app.ts\n',
  );
  const native = project(
    'native',
    {
      'package.json': JSON.stringify({ name: 'packed-native' }),
      'node_modules/fake-addon/package.json': JSON.stringify({ name: 'fake-addon', main: 'index.js' }),
      'node_modules/fake-addon/index.js': "module.exports = require('./build/Release/fake.node');\n",
      'node_modules/fake-addon/build/Release/fake.node': Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
      'app.mjs': "import addon from 'fake-addon';\nexport default (req, res) => res.end(String(addon));\n",
    },
    'module: app.mjs\n',
  );

  packed.express = join(outside, 'express-app');
  packed.fetch = join(outside, 'fetch-app');
  packed.typescript = join(outside, 'ts-app');
  // From inside the single executable (the harness's sea entry), as a user without Node would.
  const fromExecutable = await runCorral(['pack', 'corral.yaml', '-o', packed.express], { cwd: express, ms: 90_000 });
  expect(fromExecutable.code, fromExecutable.stderr).toBe(0);
  const ts = await runCorral(['pack', 'corral.yaml', '-o', packed.typescript, '--include', 'data'], {
    cwd: typescript,
    ms: 90_000,
  });
  expect(ts.code, ts.stderr).toBe(0);
  // From the npm package, on this machine's Node.
  await packWithBundle(['corral.yaml', '-o', packed.fetch], fetchApp);
  const refused = await runCorral(['pack', 'corral.yaml', '-o', join(outside, 'never')], { cwd: native, ms: 60_000 });
  refusal = { code: refused.code, stderr: refused.stderr };
}, 240_000);

afterAll(() => {
  stopAll();
  rmSync(projects, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** Runs a packed executable from an empty directory with an empty environment, on a port of its own. */
async function runPacked(file: string, env: Record<string, string> = {}): Promise<Running> {
  const cwd = mkdtempSync(join(outside, 'run-'));
  return startCorral(['--http', '127.0.0.1:0'], { executable: file, cleanEnv: true, env, cwd });
}

describe('a packed Express app', () => {
  let app: Running;
  beforeAll(async () => {
    app = await runPacked(packed.express);
  }, 30_000);

  it('serves the app and its static files from the executable: bytes, ETag, 304, a range, a precompressed sibling', async () => {
    const user = await fetch(`${app.url}/users/7?sort=asc`);
    expect(await user.json()).toEqual({ id: '7', sort: 'asc' });

    const file = await fetch(`${app.url}/files/data.bin`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe(binary);
    const etag = file.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(file.headers.get('last-modified')).not.toBeNull();

    const again = await fetch(`${app.url}/files/data.bin`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);

    const range = await fetch(`${app.url}/files/data.bin`, { headers: { range: 'bytes=100-199' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe('bytes 100-199/1024');
    expect(await range.text()).toBe(binary.slice(100, 200));

    const styled = await fetch(`${app.url}/files/style.css`, { headers: { 'accept-encoding': 'gzip' } });
    expect(styled.headers.get('content-encoding')).toBe('gzip');
    expect(await styled.text()).toBe(css); // fetch decodes it

    const index = await fetch(`${app.url}/files/docs/`);
    expect(await index.text()).toBe('<h1>docs</h1>\n');
    expect((await fetch(`${app.url}/files/missing.txt`)).status).toBe(404);
  });

  it('reloads on SIGHUP like an unpacked app, and stops on SIGTERM with exit 0, removing what it unpacked', async () => {
    const started = await app.waitFor((line) => line.msg === 'corral starting');
    const packDir = dirname(dirname(String(started.config)));
    expect(existsSync(join(packDir, '.corral', 'app.cjs'))).toBe(true);
    process.kill(app.pid, 'SIGHUP');
    const reloaded = await app.waitFor((line) => line.msg === 'reloaded', 20_000);
    expect(reloaded.workers).toHaveLength(2);
    expect((await fetch(`${app.url}/files/data.bin`)).status).toBe(200);
    expect(await (await fetch(`${app.url}/users/8`)).json()).toEqual({ id: '8' });
    expect(await stopGracefully(app)).toBe(0);
    expect(existsSync(packDir)).toBe(false);
  });
});

describe('the packed executable as a command', () => {
  it('--version names corral and the app', async () => {
    const { code, stdout } = await runCorral(['--version'], { executable: packed.express, cleanEnv: true });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^corral \d+\.\d+\.\d+ \(node v26\.\d+\.\d+\)\napp packed-express 1\.2\.3\n$/);
  });

  it('check prints the packed config, with CORRAL_* variables and flags over it', async () => {
    const { code, stdout } = await runCorral(['check', '--processes', '3'], {
      executable: packed.express,
      cleanEnv: true,
      env: { CORRAL_LIMIT_POST: '1234' },
    });
    expect(code).toBe(0);
    const config = JSON.parse(stdout) as {
      module: { file: string };
      staticMap: { prefix: string }[];
      processes: number;
      limitPost: number;
    };
    expect(config.module.file).toMatch(/\.corral\/app\.cjs$/);
    expect(config.staticMap.map((mount) => mount.prefix)).toEqual(['/files']);
    expect(config.processes).toBe(3);
    expect(config.limitPost).toBe(1234);
  });

  it('exits 2 on a bad flag, as corral does', async () => {
    const { code, stderr } = await runCorral(['--processes', 'many'], { executable: packed.express, cleanEnv: true });
    expect(code).toBe(2);
    expect(stderr).toContain('--processes');
  });

  it('refuses to pack from a packed executable', async () => {
    const { code, stderr } = await runCorral(['pack', 'x.yaml'], { executable: packed.express, cleanEnv: true });
    expect(code).toBe(2);
    expect(stderr).toContain('is a packed app');
  });
});

describe('other apps', () => {
  it('a fetch app packed by the npm bundle serves its check-static files, with CORRAL_PROCESSES over the config', async () => {
    const app = await runPacked(packed.fetch, { CORRAL_PROCESSES: '2' });
    const ready = await app.waitFor((line) => line.msg === 'ready');
    expect(ready.workers).toHaveLength(2);
    const echo = (await (await fetch(`${app.url}/echo/a?b=1`)).json()) as { method: string };
    expect(echo.method).toBe('GET');
    expect(await (await fetch(`${app.url}/hello.txt`)).text()).toBe('hello, packed\n');
    expect(await stopGracefully(app)).toBe(0);
  });

  it('a TypeScript app (an enum) reads a file packed with --include', async () => {
    const app = await runPacked(packed.typescript);
    expect(await (await fetch(`${app.url}/`)).text()).toBe('mood 1; read from --include');
    expect(await stopGracefully(app)).toBe(0);
  });

  it('a native addon is refused at pack time with what to do', () => {
    expect(refusal.code).toBe(2);
    expect(refusal.stderr).toContain('native addon');
    expect(refusal.stderr).toContain('--external fake-addon');
    expect(existsSync(join(outside, 'never'))).toBe(false);
  });
});

it('the packed executable is corral plus the app: bigger than corral by about the app', () => {
  const corral = statSync(EXECUTABLE).size;
  const app = statSync(packed.express).size;
  expect(app).toBeGreaterThan(corral - 4 * 1024 * 1024);
  expect(app).toBeLessThan(corral + 16 * 1024 * 1024);
});
