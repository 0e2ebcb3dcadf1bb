// The static fast path against a real front end on 127.0.0.1 port 0: the same bytes as node:http's answer, pipelined requests handed over in order, access lines, a file changed on disk, and the client shield's timeouts on connections node:http never saw.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { connect as http2Connect } from 'node:http2';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontEnd } from '../../src/http/front-end.ts';
import { makeTestCa, type TestCa } from '../e2e/tls-fixtures.ts';
import { answers, testLimits, until, wireClient, withoutDate } from './wire-client.ts';
import { nothingSeen, staticFrontEnd } from './static-front-end.ts';

const limits = testLimits({ headerTimeoutMs: 600, keepAliveTimeoutMs: 1000, sendTimeoutMs: 800 });

/** Large enough that a client that reads nothing leaves most of it queued in corral (loopback buffers take a few MB). */
const BIG = 16 * 1024 * 1024;

let dir: string;
let frontEnd: FrontEnd;
let port = 0;
let tlsPort = 0;
let ca: TestCa;
let draining = false;
const seen = nothingSeen();
const { lines, refusals, took } = seen;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'corral-fast-path-'));
  writeFileSync(path.join(dir, 'a.txt'), 'a'.repeat(1024));
  writeFileSync(path.join(dir, 'b.css'), 'b'.repeat(100 * 1024));
  writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(BIG, 7));
  writeFileSync(path.join(dir, 'healthz'), 'a file named like the health path');
  ca = makeTestCa();
  frontEnd = await staticFrontEnd(dir, ca, limits, seen, () => draining);
  port = Number(frontEnd.addresses[0]?.split(':').pop());
  tlsPort = Number(frontEnd.addresses[1]?.split(':').pop());
  // Two asks admit a file to the memory cache; until then each one goes through node:http.
  for (const file of ['a.txt', 'b.css', 'big.bin']) for (let i = 0; i < 2; i++) await exchange(GET(`/${file}`));
}, 20_000);

afterAll(async () => {
  await frontEnd?.drain();
  rmSync(dir, { recursive: true, force: true });
  rmSync(ca.dir, { recursive: true, force: true });
});

const GET = (target: string, fields = '') => `GET ${target} HTTP/1.1\r\nHost: x\r\n${fields}\r\n`;

const { open, exchange } = wireClient(() => ({ port, tlsPort, caPem: ca.caPem }));

describe('the static fast path', () => {
  it('answers GET, HEAD and 304 with the bytes node:http sends for the same request', async () => {
    for (const file of ['a.txt', 'b.css']) {
      const before = { ...took };
      const [fast] = await exchange(GET(`/${file}`));
      expect(took).toEqual({ fast: before.fast + 1, slow: before.slow });
      const [slow] = await exchange(GET(`/${file}`), { split: true });
      expect(took).toEqual({ fast: before.fast + 1, slow: before.slow + 1 });
      expect(fast).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(withoutDate(fast)).toBe(withoutDate(slow));
      const etag = /\r\nETag: ([^\r]*)/.exec(fast ?? '')?.[1];
      const [fast304] = await exchange(GET(`/${file}`, `If-None-Match: ${etag}\r\n`));
      const [slow304] = await exchange(GET(`/${file}`, `If-None-Match: ${etag}\r\n`), { split: true });
      expect(fast304).toMatch(/^HTTP\/1\.1 304 Not Modified\r\n/);
      expect(withoutDate(fast304)).toBe(withoutDate(slow304));
      const head = `HEAD /${file} HTTP/1.1\r\nHost: x\r\n\r\n`;
      const [fastHead] = await exchange(head, { head: true });
      const [slowHead] = await exchange(head, { split: true, head: true });
      expect(withoutDate(fastHead)).toBe(withoutDate(slowHead));
    }
  });

  it('answers HTTP/1.1 over TLS the same way, and HTTP/2 on its own fast path (h2-fast-path.test.ts)', async () => {
    const before = { ...took };
    const [fast] = await exchange(GET('/a.txt'), { secure: true });
    expect(took).toEqual({ fast: before.fast + 1, slow: before.slow });
    const [slow] = await exchange(GET('/a.txt'), { secure: true, split: true });
    expect(took).toEqual({ fast: before.fast + 1, slow: before.slow + 1 });
    expect(fast).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(withoutDate(fast)).toBe(withoutDate(slow));
    const session = http2Connect(`https://localhost:${tlsPort}`, { ca: ca.caPem });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const stream = session.request({ ':path': '/a.txt' });
        let text = '';
        stream.setEncoding('latin1');
        stream.on('data', (chunk: string) => (text += chunk));
        stream.on('end', () => resolve(text));
        stream.on('error', reject);
      });
      expect(body.length).toBe(1024);
      expect(took).toEqual({ fast: before.fast + 2, slow: before.slow + 1 });
    } finally {
      session.close();
    }
  });

  it('logs each answer as node:http would, with its own request id and its bytes', async () => {
    lines.length = 0;
    const [answer] = await exchange(GET('/a.txt?x=1'));
    await until(() => lines.length === 1);
    expect(lines[0]).toMatchObject({ method: 'GET', path: '/a.txt?x=1', status: 200, remote: '127.0.0.1' });
    expect(lines[0]?.bytes).toBe(Buffer.byteLength(answer ?? '', 'latin1'));
    expect(lines[0]?.reqId).toMatch(/^w1-/);
  });

  it('hands the connection to node:http at the first request it does not answer, in order', async () => {
    const pipelined = GET('/a.txt') + GET('/app') + GET('/a.txt') + GET('/nowhere.txt');
    const got = await exchange(pipelined, { count: 4 });
    expect(got.map((answer) => answer.split('\r\n')[0])).toEqual([
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
    ]);
    expect(got[0]?.endsWith('a'.repeat(1024))).toBe(true);
    expect(got[1]?.endsWith('app /app')).toBe(true);
    expect(got[2]?.endsWith('a'.repeat(1024))).toBe(true);
    expect(got[3]?.endsWith('app /nowhere.txt')).toBe(true);
  });

  it('never answers the health path, even with a file of that name', async () => {
    const [answer] = await exchange(GET('/healthz'));
    expect(answer).toMatch(/\r\ncache-control: no-store\r\n/i);
    expect(answer?.endsWith('ok\n')).toBe(true);
  });

  it('serves a file changed on disk as it is now', async () => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'c'.repeat(1024));
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    const [answer] = await exchange(GET('/a.txt'));
    expect(answer?.endsWith('c'.repeat(1024))).toBe(true);
  });

  it('leaves every request to node:http while draining, which closes the connection after it', async () => {
    draining = true;
    try {
      const client = await open();
      client.socket.write(GET('/a.txt'));
      await until(() => client.closed());
      expect(client.text()).toMatch(/\r\nConnection: close\r\n/);
    } finally {
      draining = false;
    }
  });
});

describe("the fast path's connections under the client shield", () => {
  it('answers 408 to a connection that sends nothing within client-header-timeout', async () => {
    refusals.length = 0;
    const client = await open();
    const started = performance.now();
    await until(() => client.closed(), 3000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(limits.headerTimeoutMs - 50);
    expect(client.text()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(refusals).toContain('client-header-timeout');
  });

  it('closes a connection idle after its answers once keepalive-timeout and a second are over', async () => {
    const client = await open();
    client.socket.write(GET('/a.txt'));
    await until(() => answers(client.text()).length === 1);
    const answered = performance.now();
    await until(() => client.closed(), 4000);
    expect(performance.now() - answered).toBeGreaterThanOrEqual(limits.keepAliveTimeoutMs + 1000 - 50);
  });

  it('ends a connection whose client stops taking a cached answer, after send-timeout', async () => {
    refusals.length = 0;
    const client = await open();
    client.socket.pause();
    client.socket.write(GET('/big.bin'));
    const asked = performance.now();
    await until(() => refusals.includes('send-timeout'), 6000);
    expect(performance.now() - asked).toBeGreaterThanOrEqual(limits.sendTimeoutMs - 50);
    // A paused socket reads nothing, not even the end: once it reads again, it finds the connection gone.
    client.socket.resume();
    await until(() => client.closed(), 3000);
    expect(client.text().length).toBeLessThan(BIG);
  });

  it('keeps a connection whose client takes a large answer slowly but steadily', async () => {
    const client = await open();
    let received = 0;
    client.socket.removeAllListeners('data');
    client.socket.on('data', (chunk: string) => {
      received += chunk.length;
      // About 8 MB/s: the 16 MiB answer takes two seconds, more than send-timeout and keepalive-timeout.
      client.socket.pause();
      setTimeout(() => client.socket.resume(), 8);
    });
    client.socket.write(GET('/big.bin'));
    await until(() => received >= BIG, 15_000);
    expect(client.closed()).toBe(false);
    client.socket.destroy();
  }, 20_000);
});
