// End to end: `corral systemd CONFIG` prints a unit whose ExecStart runs this very program (the single executable, or node and the bundle) with the config's absolute path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ENTRY, EXECUTABLE, runCorral } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-unit-'));
writeFileSync(join(dir, 'app.mjs'), 'export default (req, res) => res.end("ok");\n');
writeFileSync(join(dir, 'shop.yaml'), 'http: ":8080"\nmodule: app.mjs\ngraceful-timeout: 20\nshutdown-delay: 5\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('prints a Type=notify unit for this program and the absolute config', async () => {
  const result = await runCorral(['systemd', 'shop.yaml'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  const program =
    ENTRY === 'sea'
      ? EXECUTABLE
      : `${process.execPath} ${fileURLToPath(new URL('../../dist/corral.cjs', import.meta.url))}`;
  expect(result.stdout).toContain(`\nExecStart=${program} ${join(dir, 'shop.yaml')}\n`);
  expect(result.stdout).toContain('\nType=notify\n');
  expect(result.stdout).toContain('\nTimeoutStopSec=35\n');
  expect(result.stdout).toContain(`\nWorkingDirectory=${dir}\n`);
  expect(result.stdout).toContain('\n# ListenStream=8080\n');
});
