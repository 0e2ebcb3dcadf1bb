// The single executable loads TypeScript by Node 26's type stripping, and explains syntax that needs a transform.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCorral, stopAll } from '../harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-ts-'));
afterAll(() => {
  stopAll();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['enum', 'enum Color { Red, Green }\nexport default { fetch: () => new Response(String(Color.Red)) };\n'],
  [
    'namespace',
    'namespace Util { export const x = 1; }\nexport default { fetch: () => new Response(String(Util.x)) };\n',
  ],
])('a .ts app with %s', (syntax, source) => {
  it('exits 3 with one paragraph naming the syntax and the fix, no stack trace', async () => {
    const file = join(dir, `${syntax}.ts`);
    writeFileSync(file, source);
    const result = await runCorral(['--http', '127.0.0.1:0', '--module', file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(syntax);
    expect(result.stderr).toMatch(/type stripping|strip/i);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
