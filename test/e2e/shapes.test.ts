// End to end: each handler shape and module kind loads through the built corral and answers a real request.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startCorral, stopAll } from './harness.ts';

const shape = (name: string) => fileURLToPath(new URL(`../fixtures/e2e/shapes/${name}`, import.meta.url));

afterAll(stopAll);

describe.each([
  ['fetch.mjs', 'fetch', '/x', 'fetch /x'],
  ['listener.cjs', 'node-listener', '/', 'listener default'],
  ['listener.cjs:named', 'node-listener', '/', 'listener named'],
  ['koa-like.mjs', 'koa', '/', 'koa-like'],
  ['fastify-like.mjs', 'fastify', '/', 'fastify-like ready'],
  ['server.mjs', 'http-server', '/', 'http.Server'],
  ['typed.ts', 'fetch', '/', 'typescript'],
  ['connect.mjs:handler', 'connect', '/', 'connect'],
])('module %s', (module, expectedShape, path, expectedBody) => {
  it(`is recognised as ${expectedShape} and serves`, async () => {
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', shape(module)]);
    const loaded = await corral.waitFor((line) => line.msg === 'app loaded');
    expect(loaded.shape).toBe(expectedShape);
    const res = await fetch(`${corral.url}${path}`);
    expect(await res.text()).toBe(expectedBody);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
    // No ExperimentalWarning or other noise, whichever way the module was loaded.
    expect(corral.stderr()).toBe('');
  });
});

describe('a connect-style handler over the wire', () => {
  it('answers 404 when the handler calls next(), and 500 with a request id when it passes an error', async () => {
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', `${shape('connect.mjs')}:handler`]);
    const missing = await fetch(`${corral.url}/missing`);
    expect([missing.status, await missing.text()]).toEqual([404, 'Not Found\n']);
    const broken = await fetch(`${corral.url}/broken`);
    expect(broken.status).toBe(500);
    const id = broken.headers.get('x-request-id');
    expect(await broken.text()).toContain(`request id ${id}`);
    const logged = await corral.waitFor((line) => line.msg === 'the app failed to answer the request');
    expect(logged.reqId).toBe(id);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});

describe('fetch style over the wire', () => {
  it('streams a request body back and keeps every Set-Cookie', async () => {
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', shape('fetch.mjs'), '--processes', '2']);
    const body = 'x'.repeat(1 << 20);
    const res = await fetch(`${corral.url}/echo`, { method: 'POST', body });
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect((await res.text()).length).toBe(body.length);
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});

describe('the env setting', () => {
  it("sets variables before the app loads and hides corral's own hand-over variable", async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      fileURLToPath(new URL('../fixtures/e2e/apps/env.mjs', import.meta.url)),
      '--env',
      'GREETING=hello',
    ]);
    expect(await (await fetch(corral.url)).text()).toBe('hello clean');
    process.kill(corral.pid, 'SIGTERM');
    expect(await corral.exited()).toBe(0);
  });
});
