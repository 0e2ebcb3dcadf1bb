// End to end: workers recycled by max-requests, reload-on-rss and max-worker-lifetime, each replacement serving before the old worker retires; touch-reload and watch.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startCorral, stopAll, type LogLine, type Running, stopGracefully } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-recycle-'));
const app = join(dir, 'pid.mjs');
writeFileSync(app, 'export default (req, res) => res.end(String(process.pid));\n');
const args = ['--http', '127.0.0.1:0', '--module', app, '--processes', '1'];
afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exitFor = (reason: string) => (line: LogLine) => line.msg === 'worker exited' && line.reason === reason;

/** The replacement of the first worker was ready before the first worker exited. */
function replacedBeforeRetired(corral: Running, reason: string): void {
  const master = corral.logs.filter((line) => line.role === 'master');
  const exited = master.findIndex(exitFor(reason));
  const readies = master.flatMap((line, index) => (line.msg === 'worker ready' ? [index] : []));
  expect(readies[1]).toBeLessThan(exited);
}

async function stop(corral: Running): Promise<void> {
  expect(await stopGracefully(corral)).toBe(0);
}

describe('recycling', () => {
  it('replaces a worker after max-requests (+ a delta), with no request lost', async () => {
    const corral = await startCorral([...args, '--max-requests', '20', '--max-requests-delta', '5']);
    // The old worker answers until its replacement serves: requests go on until a new pid answers.
    const pids = new Set<string>();
    for (const end = Date.now() + 5000; pids.size < 2 && Date.now() < end; ) {
      const res = await fetch(corral.url);
      expect(res.status).toBe(200);
      pids.add(await res.text());
    }
    expect(pids.size).toBe(2);
    await corral.waitFor(exitFor('max-requests'));
    const asked = corral.logs.filter(
      (line) => line.msg === 'recycling limit reached: asking the master for a replacement',
    );
    for (const line of asked) {
      expect(line.requests).toBeGreaterThanOrEqual(20);
      expect(line.requests).toBeLessThanOrEqual(25);
    }
    replacedBeforeRetired(corral, 'max-requests');
    await stop(corral);
  });

  it('replaces a worker whose memory passes reload-on-rss', async () => {
    const corral = await startCorral([...args, '--reload-on-rss', '1']);
    await corral.waitFor(exitFor('reload-on-rss'), 5000);
    replacedBeforeRetired(corral, 'reload-on-rss');
    expect((await fetch(corral.url)).status).toBe(200);
    await stop(corral);
  });

  it('replaces a worker after max-worker-lifetime', async () => {
    const corral = await startCorral([...args, '--max-worker-lifetime', '0.5']);
    await corral.waitFor(exitFor('max-worker-lifetime'), 5000);
    replacedBeforeRetired(corral, 'max-worker-lifetime');
    await stop(corral);
  });
});

describe('reload triggers', () => {
  it('reloads when a touch-reload file is touched', async () => {
    const touched = join(dir, 'touch-me');
    writeFileSync(touched, '');
    const corral = await startCorral([...args, '--touch-reload', touched]);
    const later = new Date(Date.now() + 5000);
    utimesSync(touched, later, later);
    const reloaded = await corral.waitFor((line) => line.msg === 'reloaded', 5000);
    expect(reloaded.trigger).toBe(`touch-reload ${touched}`);
    await stop(corral);
  });

  it('reloads once for a burst of changes under a watched directory', async () => {
    const source = join(dir, 'src');
    mkdirSync(source);
    const corral = await startCorral([...args, '--watch', source]);
    for (const name of ['a.js', 'b.js', 'c.js']) writeFileSync(join(source, name), '// changed\n');
    const reloaded = await corral.waitFor((line) => line.msg === 'reloaded', 5000);
    expect(String(reloaded.trigger)).toMatch(/^watch /);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(corral.logs.filter((line) => line.msg === 'reloading: starting new workers one at a time')).toHaveLength(1);
    await stop(corral);
  });
});
