// End to end: health-path through a start (503 until the app's ready export resolves), a reload (the retiring worker answers 503, the new one 200) and a stop with shutdown-delay (503 while the app still answers 200); a PROXY header from a peer outside forwarded-allow-ips refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startCorral, stopAll, stopGracefully } from './harness.ts';
import { reservedPort } from './tls-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-health-'));
afterEach(stopAll);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An app that answers its pid, with a `ready` export that takes `readyMs`. */
function slowReadyApp(name: string, readyMs: number): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `export default (req, res) => res.end(String(process.pid));
export async function ready() { await new Promise((resolve) => setTimeout(resolve, ${readyMs})); return true; }\n`,
  );
  return file;
}

function get(url: string, agent?: Agent): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: agent ?? false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('health-path', () => {
  it('answers 503 while the ready export runs (the app already answers), then 200', async () => {
    const port = await reservedPort();
    const url = `http://127.0.0.1:${port}`;
    const starting = startCorral([
      '--module',
      slowReadyApp('start.mjs', 2500),
      '--http',
      `127.0.0.1:${port}`,
      '--health-path',
      '/healthz',
    ]);
    const seen: number[] = [];
    let appWhileStarting: number | undefined;
    const deadline = Date.now() + 15_000;
    while (!seen.includes(503) && Date.now() < deadline) {
      const answer = await get(`${url}/healthz`).catch(() => undefined); // refused before the worker listens
      if (answer !== undefined) seen.push(answer.status);
      if (answer?.status === 503) appWhileStarting = (await get(`${url}/`)).status;
      await sleep(50);
    }
    const corral = await starting;
    expect(seen[0]).toBe(503);
    expect(appWhileStarting).toBe(200);
    const logs = corral.logs.map((line) => line.msg);
    expect(logs.indexOf('the app is ready')).toBeLessThan(logs.indexOf('ready'));
    expect((await get(`${url}/healthz`)).status).toBe(200);
    // The checks are not app requests: no access line.
    expect(corral.logs.filter((line) => line.msg === 'request' && line.path === '/healthz')).toEqual([]);
  }, 30_000);

  it('on a reload: the retiring worker answers 503 on its open connection while the new one answers 200', async () => {
    const corral = await startCorral([
      '--module',
      slowReadyApp('reload.mjs', 300),
      '--http',
      '127.0.0.1:0',
      '--health-path',
      '/healthz',
    ]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const oldPid = (await get(`${corral.url}/`, agent)).body;
    expect((await get(`${corral.url}/healthz`, agent)).status).toBe(200);
    process.kill(corral.pid, 'SIGHUP');
    // The old worker drains once its replacement is ready: its idle connection is still answered for a second.
    await corral.waitFor((line) => line.msg === 'draining: no new connections, finishing in-flight requests');
    const retiring = await get(`${corral.url}/healthz`, agent);
    expect(retiring).toMatchObject({ status: 503, body: 'stopping\n', connection: 'close' });
    expect((await get(`${corral.url}/healthz`)).status).toBe(200);
    expect((await get(`${corral.url}/`)).body).not.toBe(oldPid);
    agent.destroy();
  }, 30_000);

  it('on SIGTERM with shutdown-delay: 503 while the app still answers 200, then the usual stop', async () => {
    const corral = await startCorral([
      '--module',
      slowReadyApp('drain.mjs', 0),
      '--http',
      '127.0.0.1:0',
      '--processes',
      '2',
      '--health-path',
      '/healthz',
      '--shutdown-delay',
      '2',
    ]);
    expect((await get(`${corral.url}/healthz`)).status).toBe(200);
    const signalled = Date.now();
    process.kill(corral.pid, 'SIGTERM');
    await corral.waitFor((line) => String(line.msg).startsWith('shutdown-delay: health-path answers 503'));
    await sleep(200); // the master's word reaches both workers
    for (let i = 0; i < 4; i++) {
      expect((await get(`${corral.url}/healthz`)).status).toBe(503);
      expect((await get(`${corral.url}/`)).status).toBe(200);
    }
    expect(await corral.exited(15_000)).toBe(0);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);
    const order = ['shutdown-delay over: stopping', 'stopping', 'stopped'].map((msg) =>
      corral.logs.findIndex((line) => line.msg === msg && line.role === 'master'),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(-1);
  }, 30_000);

  it('a second SIGTERM cuts shutdown-delay short', async () => {
    const corral = await startCorral([
      '--module',
      slowReadyApp('twice.mjs', 0),
      '--http',
      '127.0.0.1:0',
      '--health-path',
      '/healthz',
      '--shutdown-delay',
      '30',
    ]);
    process.kill(corral.pid, 'SIGTERM');
    await corral.waitFor((line) => String(line.msg).startsWith('shutdown-delay: health-path answers 503'));
    expect(await stopGracefully(corral, 10_000)).toBe(0);
    expect(corral.logs.some((line) => line.msg === 'shutdown-delay cut short by a second SIGTERM: stopping')).toBe(
      true,
    );
  }, 30_000);
});

describe('proxy-protocol', () => {
  it('closes a connection from a peer outside forwarded-allow-ips, header or not, and says so', async () => {
    const corral = await startCorral([
      '--module',
      slowReadyApp('proxied.mjs', 0),
      '--http',
      '127.0.0.1:0',
      '--proxy-protocol',
      '--forwarded-allow-ips',
      '10.0.0.1',
    ]);
    const port = Number(new URL(corral.url).port);
    const received = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('PROXY TCP4 192.0.2.1 127.0.0.1 1 80\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n'),
      );
      let data = '';
      socket.on('data', (chunk) => (data += chunk));
      socket.on('error', () => {});
      socket.on('close', () => resolve(data));
    });
    expect(received).toBe('');
    const line = await corral.waitFor((l) => l.limit === 'proxy-protocol');
    expect(line).toMatchObject({ peer: '127.0.0.1', problem: 'a peer outside forwarded-allow-ips' });
  }, 30_000);
});
