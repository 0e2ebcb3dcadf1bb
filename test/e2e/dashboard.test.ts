// End to end: the dashboard of the built program in headless Chromium while requests run: the worker rows and their
// pids appear, the numbers move, a worker killed with SIGKILL shows as restarted, no console error; a screenshot is
// saved under .cache/test-output/.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openChromium } from '../browser/chromium.ts';
import { ENTRY, startCorral, stopAll, stopGracefully, type Running } from './harness.ts';

const app = fileURLToPath(new URL('../fixtures/e2e/apps/pid.cjs', import.meta.url));
const output = fileURLToPath(new URL('../../.cache/test-output/', import.meta.url));

if (!hasChromium)
  console.warn('/usr/bin/chromium is missing: the dashboard test is skipped (apt-get install chromium)');

describe.skipIf(!hasChromium)('the dashboard of a running corral, in Chromium', () => {
  let corral: Running;
  let stats = '';

  beforeAll(async () => {
    corral = await startCorral(
      ['--http', '127.0.0.1:0', '--processes', '2', '--module', app, '--stats', '127.0.0.1:0'],
      { readyMs: 20_000 },
    );
    stats = (await corral.waitFor((line) => line.msg === 'stats listening', 5000)).address as string;
  }, 30_000);

  afterAll(async () => {
    if (corral !== undefined) await stopGracefully(corral);
    stopAll();
  });

  it('shows the workers, moves with the traffic, and shows a killed worker restarted', {
    timeout: 60_000,
  }, async () => {
    const { context, close } = await openChromium();
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.setViewportSize({ width: 1400, height: 900 });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

      const response = await page.goto(`http://${stats}/`, { waitUntil: 'load', timeout: 15_000 });
      expect(response?.status()).toBe(200);
      const rows = page.locator('#workers tr[data-worker]');
      await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(2);
      const pidsShown = async () =>
        (await page.locator('#workers tr[data-worker] td:nth-of-type(1)').allTextContents()).map(Number);
      const workerPids = corral.logs.filter((line) => line.msg === 'worker ready').map((line) => line.workerPid);
      expect((await pidsShown()).sort()).toEqual([...workerPids].sort());
      expect(await page.locator('#state').textContent()).toBe('live');

      // Traffic: the requests column adds up to what was sent, within a few polls.
      const requestsShown = async () =>
        (await page.locator('#workers tr[data-worker] td:nth-of-type(11)').allTextContents())
          .map(Number)
          .reduce((a, b) => a + b, 0);
      for (let round = 0; round < 10; round++)
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            const res = await fetch(`${corral.url}/`);
            await res.arrayBuffer();
          }),
        );
      await expect.poll(requestsShown, { timeout: 5000 }).toBe(200);
      expect(await page.locator('#totals tr:last-child td:last-child').textContent()).toBe('200');
      expect(await rows.first().locator('path').first().getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+/);

      // A worker killed: its slot shows a respawn and the restart is listed with its reason.
      const victim = (await pidsShown())[0]!;
      process.kill(victim, 'SIGKILL');
      await expect.poll(() => page.locator('#restarts').textContent(), { timeout: 10_000 }).toContain(String(victim));
      await expect.poll(async () => (await pidsShown()).includes(victim), { timeout: 10_000 }).toBe(false);
      const restart = await page.locator('#restarts tr').first().locator('td').allTextContents();
      expect(restart).toContain('SIGKILL');
      expect(await page.locator('#workers tr[data-worker="1"] td:nth-of-type(14)').textContent()).toBe('1');

      mkdirSync(output, { recursive: true });
      await page.screenshot({ path: `${output}dashboard-${ENTRY}.png`, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
