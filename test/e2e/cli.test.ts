// End to end: the built corral's one-off commands (--help, --version, check) and its config errors, with real exit codes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { settingList } from '../../src/config/schema.ts';
import { ENTRY, runCorral, startCorral, stopAll } from './harness.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/e2e/${path}`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'corral-cli-'));

afterAll(() => {
  stopAll();
  rmSync(scratch, { recursive: true, force: true });
});

function configFile(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

describe('one-off commands', () => {
  it('--version prints corral and Node versions', async () => {
    const result = await runCorral(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^corral \d+\.\d+\.\d+ \(node v\d+/);
    // The single executable names the Node it embeds.
    if (ENTRY === 'sea') expect(result.stdout).toContain('(node v26.10.0)');
    expect(result.stderr).toBe('');
  });

  it('--help lists every setting with its flag and env var', async () => {
    const result = await runCorral(['--help']);
    expect(result.code).toBe(0);
    for (const setting of settingList) {
      expect(result.stdout).toContain(setting.flag);
      expect(result.stdout).toContain(setting.env);
    }
  });

  it('check prints the resolved config as JSON and exits 0', async () => {
    const result = await runCorral(['check', fixture('uwsgi/app.ini')]);
    expect(result.code).toBe(0);
    const config = JSON.parse(result.stdout) as { processes: number; staticMap: Array<{ prefix: string }> };
    expect(config.processes).toBe(10);
    expect(config.staticMap.map((mount) => mount.prefix)).toEqual(['/static', '/media']);
    expect(result.stderr).toContain('home');
  });
});

describe('config errors exit 2 with file, line, key and fix', () => {
  it('names an unknown INI key and the one it probably meant', async () => {
    const file = configFile('app.ini', '[corral]\nhttp = 127.0.0.1:0\n; comment\nproceses = 4\n');
    const result = await runCorral(['check', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('app.ini:4: unknown option "proceses" (did you mean "processes"?)');
  });

  it('names a bad YAML value with its line', async () => {
    const file = configFile('app.yaml', 'http:\n  - 127.0.0.1:0\n\n\n\n\nprocesses: four\n');
    const result = await runCorral(['check', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('app.yaml:7: processes: expected an integer >= 1 or "auto", got "four"');
  });

  it('names a static-map directory that does not exist', async () => {
    const file = configFile('missing-dir.yaml', 'static-map:\n  - /static=./no-such-dir\n');
    const result = await runCorral([file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing-dir\.yaml:2: static-map: .*no-such-dir/);
    expect(result.stdout).toBe('');
  });

  it('rejects an unknown flag with a suggestion', async () => {
    const result = await runCorral(['--proceses', '4']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('did you mean "--processes"?');
  });

  it('never prints a stack trace', async () => {
    const file = configFile('broken.yaml', 'http: [unclosed\n');
    const result = await runCorral([file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^corral: .*broken\.yaml:\d+/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('corral DIR: a framework project directory', () => {
  /** A directory with `files` (path → content), under the scratch directory. */
  function project(name: string, files: Record<string, string>): string {
    const dir = join(scratch, name);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  }

  it('check shows what corral chose for a recognised build, and a setting given wins', async () => {
    const dir = project('kit', {
      'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-node': '5' } }),
      'build/handler.js': 'export const handler = (req, res) => res.end();\n',
      'build/client/_app/immutable/a.js': '',
      'own/x.txt': '',
    });
    const result = await runCorral(['check', dir, '--check-static', 'own']);
    expect(result.code).toBe(0);
    const config = JSON.parse(result.stdout) as {
      framework: { name: string; evidence: string };
      module: { file: string; exportName: string };
      checkStatic: string[];
      staticExpires: Array<{ seconds: number }>;
    };
    expect(config.framework).toMatchObject({ name: 'sveltekit', evidence: 'build/handler.js' });
    expect(config.module).toEqual({ file: join(dir, 'build/handler.js'), exportName: 'handler' });
    expect(config.checkStatic).toEqual([join(dir, 'own')]);
    expect(config.staticExpires.map((rule) => rule.seconds)).toEqual([31536000]);
  });

  it('a project that is not built exits 2 and says what to run', async () => {
    const dir = project('unbuilt-next', { 'next.config.mjs': 'export default {};\n' });
    const result = await runCorral([dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('it is a Next.js project with no build (.next/BUILD_ID): run `next build` first');
  });

  it('a NestJS project exits 2 asking for the module that exports its server', async () => {
    const dir = project('nest', { 'package.json': JSON.stringify({ dependencies: { '@nestjs/core': '11' } }) });
    const result = await runCorral([dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('export default app.getHttpServer()');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the example that npm start serves', () => {
  it('serves the app and its static files', async () => {
    const corral = await startCorral([join(repo, 'config.example.yaml'), '--http', '127.0.0.1:0']);
    const page = await fetch(`${corral.url}/`);
    expect(await page.text()).toContain('Hello from corral');
    const css = await fetch(`${corral.url}/static/css/site.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    await css.text();
    const shape = await corral.waitFor((line) => line.msg === 'app loaded');
    expect(shape.shape).toBe('fetch');
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});
