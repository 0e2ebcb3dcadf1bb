// End to end: with sticky-sessions one client address keeps reaching one worker, and connections wait while no worker serves.
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as http2Connect } from 'node:http2';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startCorral, stopAll, type Running } from './harness.ts';
import { makeTestCa } from './tls-fixtures.ts';

const app = fileURLToPath(new URL('../apps/sticky/crash.mjs', import.meta.url));

afterAll(stopAll);

/** GET `path` on a new connection from `localAddress`; resolves with the body. */
function get(corral: Running, path: string, localAddress = '127.0.0.1'): Promise<string> {
  const url = new URL(path, corral.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, localAddress, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve(body));
      },
    );
    req.setTimeout(8000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('sticky-sessions', () => {
  it('sends every connection from one address to the same worker, and different addresses to both', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app,
      '--processes',
      '2',
      '--sticky-sessions',
    ]);
    const byAddress = new Map<string, Set<string>>();
    for (let round = 0; round < 3; round++) {
      for (let i = 2; i < 10; i++) {
        const address = `127.0.0.${i}`;
        const pids = byAddress.get(address) ?? new Set<string>();
        pids.add(await get(corral, '/', address));
        byAddress.set(address, pids);
      }
    }
    for (const pids of byAddress.values()) expect(pids.size).toBe(1);
    expect(new Set([...byAddress.values()].map((pids) => [...pids][0])).size).toBe(2);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  }, 20_000);

  it('keeps a connection that arrives while the only worker is being replaced, and serves it once the new one is ready', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      app,
      '--processes',
      '1',
      '--sticky-sessions',
    ]);
    const first = await get(corral, '/');
    expect(await get(corral, '/crash')).toBe('bye');
    await corral.waitFor((line) => line.msg === 'worker died: replacing it');
    // No worker serves now: this connection waits in the master.
    const answer = await get(corral, '/');
    expect(answer).toMatch(/^\d+$/);
    expect(answer).not.toBe(first);
    expect(
      corral.logs.some(
        (line) => line.msg === 'sticky-sessions: no worker serves right now; new connections wait for one',
      ),
    ).toBe(true);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  }, 20_000);

  it('hands https connections over too: HTTP/1.1 and HTTP/2 over TLS keep one client address on one worker', async () => {
    const ca = makeTestCa('corral-sticky-');
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--https',
      `127.0.0.1:0,${ca.certFile},${ca.keyFile}`,
      '--module',
      app,
      '--processes',
      '2',
      '--sticky-sessions',
    ]);
    const httpsUrl = new URL(
      `https://${(corral.logs.find((line) => line.msg === 'ready')!.addresses as string[])[1]}/`,
    );
    const overTls = (localAddress: string) =>
      new Promise<string>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port: httpsUrl.port,
            path: '/',
            ca: ca.caPem,
            servername: 'localhost',
            localAddress,
            agent: false,
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (d: string) => (body += d));
            res.on('end', () => resolve(body));
          },
        );
        req.setTimeout(5000, () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end();
      });
    const overH2 = (localAddress: string) =>
      new Promise<string>((resolve, reject) => {
        const session = http2Connect(`https://localhost:${httpsUrl.port}`, {
          ca: ca.caPem,
          localAddress,
          host: '127.0.0.1',
        } as never);
        session.on('error', reject);
        const stream = session.request({ ':path': '/' });
        let body = '';
        stream.setEncoding('utf8').on('data', (d: string) => (body += d));
        stream.on('end', () => {
          session.close();
          resolve(body);
        });
        stream.on('error', reject);
        stream.end();
      });
    const pids = new Set<string>();
    for (let i = 2; i < 8; i++) {
      const address = `127.0.0.${i}`;
      const [a, b, c] = [await overTls(address), await overH2(address), await get(corral, '/', address)];
      expect(b).toBe(a);
      expect(c).toBe(a);
      pids.add(a);
    }
    expect(pids.size).toBe(2);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    rmSync(ca.dir, { recursive: true, force: true });
  }, 20_000);
});
