// The dashboard page in headless Chromium against a small node:http server that serves dashboardPage() and hand-made
// snapshots: rows appear and update, sparklines grow, hostile paths stay text, the token is forwarded, a lost server
// shows "disconnected, retrying" and recovery follows, and the console stays clean.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardPage } from '../../src/stats/dashboard.ts';
import { HOSTILE_PATH, snapshotFixture } from '../../src/stats/snapshot-fixture.ts';
import type { StatsSnapshot } from '../../src/stats/snapshot.ts';
import { hasChromium, openChromium } from './chromium.ts';

if (!hasChromium) console.warn('/usr/bin/chromium is missing: the dashboard browser test is skipped');

let snapshot: StatsSnapshot = snapshotFixture();
let down = false;
const tokens: Array<string | null> = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(dashboardPage());
    } else if (url.pathname === '/stats.json' && down) {
      res.writeHead(503).end();
    } else if (url.pathname === '/stats.json') {
      tokens.push(url.searchParams.get('token'));
      // Each poll sees a new second, as a live master's snapshots do.
      snapshot = { ...snapshot, at: snapshot.at + 1, uptime: snapshot.uptime + 1 };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(snapshot));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe.skipIf(!hasChromium)('the dashboard page in Chromium', () => {
  it('shows the workers, updates them each second, keeps hostile text as text, and survives a lost server', {
    timeout: 60_000,
  }, async () => {
    const { context, close } = await openChromium();
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems: string[] = [];
      const networkErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        // Chromium reports a failed fetch itself; only the "server down" step below causes one.
        if (message.text().startsWith('Failed to load resource')) networkErrors.push(message.text());
        else problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('dialog', (dialog) => {
        problems.push(`dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });

      await page.goto(`${base}/?token=s3cret%2B1`, { waitUntil: 'load', timeout: 20_000 });
      const rows = page.locator('#workers tr[data-worker]');
      await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(2);
      expect(await rows.nth(0).locator('td').nth(0).textContent()).toBe('4001');
      expect(await rows.nth(1).locator('td').nth(1).textContent()).toBe('busy');
      expect(await page.locator('#state').textContent()).toBe('live');
      expect(await page.locator('#version').textContent()).toBe('corral 0.1.0');
      expect(tokens[0]).toBe('s3cret+1');

      // The hostile path is text: no element made from it, no script run.
      const slowPath = page.locator('#slow td.path').first();
      expect(await slowPath.textContent()).toBe(HOSTILE_PATH);
      expect(await page.locator('main img').count()).toBe(0);

      // The certificate with 9 days left is marked.
      expect(await page.locator('#certificates td.warn').textContent()).toBe('9');

      // New numbers show up within a poll or two, and the sparklines grow with the samples.
      const before = await rows.nth(0).locator('path').first().getAttribute('d');
      snapshot = {
        ...snapshot,
        workers: snapshot.workers.map((w) => (w.id === 1 ? { ...w, requests: 98765, delta_requests: 321 } : w)),
      };
      await expect.poll(() => rows.nth(0).locator('td').nth(10).textContent(), { timeout: 5000 }).toBe('98765');
      await expect.poll(() => rows.nth(0).locator('td').nth(2).locator('span').textContent()).toBe('321');
      const after = await rows.nth(0).locator('path').first().getAttribute('d');
      expect((after ?? '').split('L').length).toBeGreaterThan((before ?? '').split('L').length);

      // The server goes away, then comes back.
      down = true;
      await expect
        .poll(() => page.locator('#state').textContent(), { timeout: 5000 })
        .toBe('disconnected, retrying (HTTP 503)');
      down = false;
      await expect.poll(() => page.locator('#state').textContent(), { timeout: 5000 }).toBe('live');
      expect(await rows.count()).toBe(2);

      expect(networkErrors.length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
