// Unit tests of the health path's answers: the states, HEAD, keep-alive while draining, and no way back from a stop.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealth, type Health } from './health.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(health: Health): Promise<number> {
  server = createServer((req, res) => {
    if (!health.answer(req, res)) res.end('app\n');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function get(port: number, path: string, method = 'GET') {
  return new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path, method, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('health-path', () => {
  it('answers 503 while starting, 200 while serving, 503 while failing and draining; other paths go on', async () => {
    const health = createHealth('/healthz');
    const port = await serve(health);
    expect(await get(port, '/healthz')).toMatchObject({ status: 503, body: 'starting\n' });
    expect(await get(port, '/healthz?x=1')).toMatchObject({ status: 200, body: 'app\n' });
    health.set('serving');
    expect(await get(port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get(port, '/healthz', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect(await get(port, '/healthz', 'OPTIONS')).toMatchObject({ status: 200 });
    health.set('failing');
    expect(await get(port, '/healthz')).toMatchObject({ status: 503, body: 'stopping\n' });
    health.set('serving');
    expect(health.state).toBe('failing');
    health.set('draining');
    expect(await get(port, '/healthz')).toMatchObject({ status: 503, connection: 'close' });
    health.set('failing');
    expect(health.state).toBe('draining');
    expect(await get(port, '/')).toMatchObject({ status: 200, body: 'app\n' });
  });
});
