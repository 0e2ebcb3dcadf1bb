// End to end: the onDrain export lets an app end its event streams when the worker drains, so a stop does not wait for graceful-timeout.
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startCorral, stopAll } from './harness.ts';

const app = fileURLToPath(new URL('../apps/sse/drain.mjs', import.meta.url));

afterAll(stopAll);

describe('onDrain', () => {
  it('runs as a stop begins: open event streams end with a last event and corral exits 0 well before graceful-timeout', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app,
      '--processes',
      '2',
      '--graceful-timeout',
      '20',
    ]);
    const url = new URL(corral.url);
    const streams = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<{ text: () => string; ended: Promise<void> }>((resolve, reject) => {
            const req = request({ host: url.hostname, port: url.port, path: '/events', agent: false }, (res) => {
              let text = '';
              const ended = new Promise<void>((done) => res.on('end', done));
              res.setEncoding('utf8').on('data', (d: string) => {
                text += d;
                if (text.includes('hello')) resolve({ text: () => text, ended });
              });
            });
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    const stoppedAt = Date.now();
    process.kill(corral.pid, 'SIGTERM');
    for (const stream of streams) {
      await stream.ended;
      expect(stream.text()).toContain('event: bye\nretry: 1000\ndata: going away\n\n');
    }
    expect(await corral.exited()).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(corral.logs.filter((line) => line.msg === 'the app drain hook is done').length).toBe(2);
  }, 30_000);
});
