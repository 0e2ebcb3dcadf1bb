// End to end: the app's optional onShutdown export runs when its worker stops (after the last request), on SIGTERM and on a reload.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { startCorral, stopAll } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-hook-'));
const marks = join(dir, 'marks');
const app = join(dir, 'app.mjs');
// The hook waits a little, as closing a database pool would, then notes which worker ran it.
writeFileSync(
  app,
  `import { appendFileSync } from 'node:fs';
export default (req, res) => res.end('ok');
export async function onShutdown() {
  await new Promise((resolve) => setTimeout(resolve, 100));
  appendFileSync(${JSON.stringify(marks)}, process.pid + '\\n');
}
`,
);
afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs onShutdown in each retiring worker on a reload, and in each worker on SIGTERM', async () => {
  writeFileSync(marks, '');
  const corral = await startCorral(['--http', '127.0.0.1:0', '--module', app, '--processes', '2']);
  const first = corral.logs.filter((line) => line.msg === 'worker ready').map((line) => String(line.workerPid));
  process.kill(corral.pid, 'SIGHUP');
  await corral.waitFor((line) => line.msg === 'reloaded');
  for (const pid of first)
    await corral.waitFor((line) => line.msg === 'worker exited' && String(line.workerPid) === pid);
  process.kill(corral.pid, 'SIGTERM');
  expect(await corral.exited()).toBe(0);
  const ran = readFileSync(marks, 'utf8').split('\n').filter(Boolean);
  expect(ran).toHaveLength(4);
  expect(ran.slice(0, 2).sort()).toEqual([...first].sort());
  expect(corral.logs.filter((line) => line.msg === 'the app shutdown hook is done')).toHaveLength(4);
});
