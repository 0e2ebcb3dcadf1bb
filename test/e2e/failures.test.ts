// End to end: what users see when things go wrong: bad config (exit 2), an app that cannot load (exit 3), a handler that fails (500).
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCorral, startCorral, stopAll, type Running } from './harness.ts';

const app = (name: string) => fileURLToPath(new URL(`../fixtures/e2e/apps/${name}`, import.meta.url));
const loopback = ['--http', '127.0.0.1:0'];

describe('start failures', () => {
  afterEach(stopAll);

  it('exits 3 with one paragraph when the module throws while loading, and does not respawn', async () => {
    const result = await runCorral([...loopback, '--module', app('throws-on-load.mjs'), '--processes', '2']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('DATABASE_URL is not set');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toContain('worker died: replacing it');
  });

  it('exits 3 and lists the accepted shapes when the module exports no handler', async () => {
    const result = await runCorral([...loopback, '--module', app('no-shape.mjs')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/fetch/);
    expect(result.stderr).toMatch(/callback/);
  });

  it('exits 3 in single-process mode too', async () => {
    const result = await runCorral([...loopback, '--module', app('throws-on-load.mjs'), '--no-master']);
    expect(result.code).toBe(3);
  });

  it('exits 2 when the address is already in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCorral(['--http', `127.0.0.1:${port}`, '--module', app('pid.cjs')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`127.0.0.1:${port}: address already in use`);
    } finally {
      blocker.close();
    }
  });

  it('exits 2 for a module file that does not exist', async () => {
    const result = await runCorral([...loopback, '--module', app('nope.mjs')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.mjs');
  });
});

describe('a handler that fails', () => {
  let corral: Running;
  beforeAll(async () => {
    corral = await startCorral([...loopback, '--module', app('failing.mjs')]);
  });
  afterAll(stopAll);

  it('answers 500 with a request id that is also in the log, and the worker keeps serving', async () => {
    for (const path of ['/throw', '/reject']) {
      const res = await fetch(`${corral.url}${path}`);
      expect(res.status).toBe(500);
      const id = res.headers.get('x-request-id');
      expect(id).toBeTruthy();
      expect(await res.text()).toContain(String(id));
      const logged = await corral.waitFor((line) => line.level === 'error' && line.reqId === id);
      expect(JSON.stringify(logged.err)).toContain('handler');
    }
    const ok = await fetch(`${corral.url}/fine`);
    expect(ok.status).toBe(200);
    expect(corral.logs.some((line) => line.msg === 'worker died: replacing it')).toBe(false);
  });

  it('answers 404 when no static map and no app route answers', async () => {
    const corralNoApp = await startCorral([...loopback]);
    const res = await fetch(`${corralNoApp.url}/anything`);
    expect(res.status).toBe(404);
    process.kill(corralNoApp.pid, 'SIGTERM');
    expect(await corralNoApp.exited()).toBe(0);
  });
});

describe('a malformed request', () => {
  afterEach(stopAll);

  it('gets a 400 and the worker keeps serving', async () => {
    const corral = await startCorral([...loopback, '--module', app('pid.cjs')]);
    const [host, port] = corral.url.slice('http://'.length).split(':');
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), host, () =>
        socket.end('GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n'),
      );
      let text = '';
      socket
        .setEncoding('utf8')
        .on('data', (d: string) => (text += d))
        .on('end', () => resolve(text))
        .on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(corral.url)).status).toBe(200);
    expect(corral.logs.some((line) => line.msg === 'worker died: replacing it')).toBe(false);
  });
});
