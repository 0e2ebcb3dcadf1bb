// The single executable on a machine with no Node: empty environment, no PATH, apps and files outside the repository.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are app sources written to disk, template literals and all.
import { mkdtempSync, mkdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXECUTABLE, startCorral, stopAll } from '../harness.ts';

let site: string;

beforeAll(() => {
  site = mkdtempSync(join(tmpdir(), 'corral-site-'));
  mkdirSync(join(site, 'public'));
  writeFileSync(join(site, 'public', 'hello.txt'), 'hello from disk\n');
  writeFileSync(
    join(site, 'esm.mjs'),
    "import { platform } from 'node:os';\nexport default { fetch: () => new Response(`esm on ${platform()}`) };\n",
  );
  writeFileSync(
    join(site, 'common.cjs'),
    "const { platform } = require('node:os');\nmodule.exports = (req, res) => res.end(`cjs on ${platform()}`);\n",
  );
  writeFileSync(
    join(site, 'typed.ts'),
    "import { helper } from './helper.ts';\nconst answer: string = await Promise.resolve(helper('ts'));\nexport default { fetch: (_r: Request): Response => new Response(answer) };\n",
  );
  writeFileSync(
    join(site, 'helper.ts'),
    'export function helper(name: string): string {\n  return `${name} on linux`;\n}\n',
  );
});

afterAll(() => {
  stopAll();
  rmSync(site, { recursive: true, force: true });
});

describe.each([
  ['esm.mjs', 'esm on linux'],
  ['common.cjs', 'cjs on linux'],
  ['typed.ts', 'ts on linux'],
])('env -i ./corral with %s from outside the repository', (module, expected) => {
  it('loads the app, serves static files, and prints nothing on stderr', async () => {
    const corral = await startCorral(
      [
        '--http',
        '127.0.0.1:0',
        '--module',
        join(site, module),
        '--static-map',
        `/files=${join(site, 'public')}`,
        '--processes',
        '2',
      ],
      {
        cleanEnv: true,
        cwd: site,
      },
    );
    expect(await (await fetch(`${corral.url}/`)).text()).toBe(expected);
    expect(await (await fetch(`${corral.url}/files/hello.txt`)).text()).toBe('hello from disk\n');
    const ready = await corral.waitFor((line) => line.msg === 'ready');
    // Workers are the same executable, not a node found somewhere.
    for (const pid of ready.workers as number[]) expect(readlinkSync(`/proc/${pid}/exe`)).toBe(EXECUTABLE);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    expect(corral.stderr()).toBe('');
  });
});
