// The HTTP/2 stream fast path against a real front end on 127.0.0.1 port 0: the same answers as node:http2's compatibility path, what it leaves to that path, access lines, and the rapid-reset check's count of its streams.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, constants, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontEnd } from '../../src/http/front-end.ts';
import { streamHead } from '../../src/http/h2-fast-path.ts';
import { makeTestCa, type TestCa } from '../e2e/tls-fixtures.ts';
import { testLimits, until } from './wire-client.ts';
import { nothingSeen, staticFrontEnd } from './static-front-end.ts';

const limits = testLimits({ headerTimeoutMs: 5000, keepAliveTimeoutMs: 5000, sendTimeoutMs: 5000 });

let dir: string;
let frontEnd: FrontEnd;
let tlsPort = 0;
let ca: TestCa;
let draining = false;
const seen = nothingSeen();
const { lines, refusals, took } = seen;
let session: ClientHttp2Session;

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** One request on the test's session: its status, headers (without Date) and body. */
function ask(headers: OutgoingHttpHeaders, on: ClientHttp2Session = session): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = on.request(headers);
    let body = '';
    let got: Record<string, unknown> = {};
    stream.setEncoding('latin1');
    stream.on('response', (h) => (got = { ...h }));
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => {
      const { ':status': status, date, ...rest } = got;
      expect(date).toBeDefined();
      resolve({ status: status as number, headers: rest, body });
    });
    stream.on('error', reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'corral-h2-fast-path-'));
  writeFileSync(path.join(dir, 'a.txt'), 'a'.repeat(1024));
  writeFileSync(path.join(dir, 'empty.txt'), '');
  writeFileSync(path.join(dir, 'healthz'), 'a file named like the health path');
  ca = makeTestCa();
  const guardLimits = { maxConcurrentStreams: 128, maxHeaderListSize: 32_768, maxResets: 20, maxControlFrames: 100 };
  frontEnd = await staticFrontEnd(dir, ca, limits, seen, () => draining, {
    limits: guardLimits,
    log: { refused: (kind) => void refusals.push(kind) },
  });
  tlsPort = Number(frontEnd.addresses[1]?.split(':').pop());
  session = connect(`https://localhost:${tlsPort}`, { ca: ca.caPem });
  // Two asks admit a file to the memory cache; until then each one goes through the compatibility path.
  for (const file of ['a.txt', 'empty.txt', 'healthz']) for (let i = 0; i < 2; i++) await ask({ ':path': `/${file}` });
}, 20_000);

afterAll(async () => {
  session?.close();
  await frontEnd?.drain();
  rmSync(dir, { recursive: true, force: true });
  rmSync(ca.dir, { recursive: true, force: true });
});

/** `headers` answered once on the fast path and once on the compatibility path (sent with a proxy field it leaves). */
async function bothWays(headers: OutgoingHttpHeaders): Promise<[Answer, Answer]> {
  const before = { ...took };
  const fast = await ask(headers);
  expect(took).toEqual({ fast: before.fast + 1, slow: before.slow });
  const slow = await ask({ ...headers, 'x-forwarded-for': '192.0.2.1' });
  expect(took.slow).toBe(before.slow + 1);
  return [fast, slow];
}

describe('the HTTP/2 stream fast path', () => {
  it('answers GET, HEAD and 304 with the headers and body of the compatibility path', async () => {
    const [fast, slow] = await bothWays({ ':path': '/a.txt' });
    expect(fast.status).toBe(200);
    expect(fast.body).toBe('a'.repeat(1024));
    expect(fast).toEqual(slow);
    const etag = fast.headers.etag as string;
    const [fast304, slow304] = await bothWays({ ':path': '/a.txt', 'if-none-match': etag });
    expect(fast304.status).toBe(304);
    expect(fast304).toEqual(slow304);
    const [fastHead, slowHead] = await bothWays({ ':path': '/a.txt', ':method': 'HEAD' });
    expect(fastHead).toEqual({ ...slowHead, body: '' });
    expect(fastHead.headers['content-length']).toBe('1024');
    const [fastEmpty, slowEmpty] = await bothWays({ ':path': '/empty.txt' });
    expect(fastEmpty).toEqual(slowEmpty);
  });

  it('leaves ranges, other methods, files not cached and the health path to the compatibility path', async () => {
    const before = { ...took };
    const range = await ask({ ':path': '/a.txt', range: 'bytes=0-9' });
    expect(range.status).toBe(206);
    expect(range.body).toBe('a'.repeat(10));
    const post = await ask({ ':path': '/a.txt', ':method': 'POST' });
    expect(post.body).toBe('app /a.txt');
    const missing = await ask({ ':path': '/nowhere' });
    expect(missing.body).toBe('app /nowhere');
    const health = await ask({ ':path': '/healthz' });
    expect(health.body).toBe('ok\n');
    expect(took.slow).toBe(before.slow + 3);
  });

  it('logs each answer with its own request id, the client, and no byte count (as HTTP/2 lines have none)', async () => {
    lines.length = 0;
    await ask({ ':path': '/a.txt?x=1' });
    await until(() => lines.length === 1);
    expect(lines[0]).toMatchObject({ method: 'GET', path: '/a.txt?x=1', status: 200, remote: '127.0.0.1' });
    expect(lines[0]?.reqId).toMatch(/^w1-/);
    expect(lines[0]).not.toHaveProperty('bytes');
  });

  it('leaves every request to the compatibility path while draining', async () => {
    draining = true;
    try {
      const before = { ...took };
      const answer = await ask({ ':path': '/a.txt' });
      expect(answer.status).toBe(200);
      expect(took.slow).toBe(before.slow + 1);
    } finally {
      draining = false;
    }
  });

  it('counts its finished streams for the rapid-reset check: many requests on one session are no attack', async () => {
    const fresh = connect(`https://localhost:${tlsPort}`, { ca: ca.caPem });
    try {
      for (let i = 0; i < 60; i++) await ask({ ':path': '/a.txt' }, fresh);
      expect(fresh.closed || fresh.destroyed).toBe(false);
      expect(refusals).not.toContain('http2-max-resets');
    } finally {
      fresh.close();
    }
  });

  it('counts streams the client cancels as resets: a rapid reset of cached files still closes the session', async () => {
    const attacker = connect(`https://localhost:${tlsPort}`, { ca: ca.caPem });
    attacker.on('error', () => {});
    const closed = new Promise((resolve) => attacker.once('close', resolve));
    await new Promise((resolve) => attacker.once('remoteSettings', resolve));
    for (let i = 0; i < 200; i++) {
      const stream = attacker.request({ ':path': '/a.txt' });
      stream.on('error', () => {});
      stream.close(constants.NGHTTP2_CANCEL);
    }
    // The session ends with GOAWAY ENHANCE_YOUR_CALM: what the rapid-reset check does (h2-guard.ts).
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
    expect(attacker.closed || attacker.destroyed).toBe(true);
    expect(refusals).toContain('http2-max-resets');
    attacker.destroy();
  });
});

describe('streamHead', () => {
  const open = testLimits({ headerTimeoutMs: 0, keepAliveTimeoutMs: 0, sendTimeoutMs: 0 });
  const base = { ':method': 'GET', ':path': '/a.txt', ':scheme': 'https', ':authority': 'x' };
  /** A raw header list, as node:http2 gives it with the 'stream' event: pseudo-header fields first, then the others. */
  const raw = (fields: Record<string, string>, ...more: string[]): string[] => [
    ...Object.entries(fields).flat(),
    ...more,
  ];

  it('reads a plain GET or HEAD: its fields without the pseudo-header ones', () => {
    expect(streamHead(raw({ ...base, accept: '*/*' }), open)).toEqual({
      method: 'GET',
      target: '/a.txt',
      headers: { accept: '*/*' },
      body: '',
      end: 0,
    });
    expect(streamHead(raw({ ...base, ':method': 'HEAD' }), open)?.method).toBe('HEAD');
  });

  it('leaves other methods, other targets, repeats, bodies and proxy fields to the compatibility path', () => {
    expect(streamHead(raw({ ...base, ':method': 'POST' }), open)).toBeUndefined();
    expect(streamHead(raw({ ...base, ':method': 'CONNECT' }), open)).toBeUndefined();
    expect(streamHead(raw({ ...base, ':path': '*' }), open)).toBeUndefined();
    expect(streamHead(raw({ ...base, ':path': '/a b' }), open)).toBeUndefined();
    expect(streamHead(raw({ ...base, ':path': '/a#b' }), open)).toBeUndefined();
    expect(streamHead(raw({ ':scheme': 'https', ':path': '/a.txt' }), open)).toBeUndefined();
    expect(streamHead(raw({ ':method': 'GET', ':scheme': 'https' }), open)).toBeUndefined();
    // node:http2 joins repeated cookies and keeps the first of a repeated single-value field: its path decides.
    expect(streamHead(raw(base, 'cookie', 'a=1', 'cookie', 'b=2'), open)).toBeUndefined();
    expect(streamHead(raw(base, 'if-none-match', '"a"', 'if-none-match', '"b"'), open)).toBeUndefined();
    expect(streamHead(raw({ ...base, 'content-length': '3' }), open)).toBeUndefined();
    expect(streamHead(raw({ ...base, range: 'bytes=0-1' }), open)).toBeUndefined();
    expect(streamHead(raw({ ...base, 'x-forwarded-for': '192.0.2.1' }), open)).toBeUndefined();
    expect(streamHead(raw({ ...base, constructor: 'x' }), open)).toBeUndefined();
  });

  it('leaves a request over a limit of the client shield to the compatibility path, which refuses it', () => {
    const line = { ...open, requestLine: 20 };
    expect(streamHead(raw(base), line)).toBeDefined();
    expect(streamHead(raw({ ...base, ':path': `/${'a'.repeat(20)}` }), line)).toBeUndefined();
    expect(streamHead(raw(base), { ...open, requestFields: 4 })).toBeDefined();
    expect(streamHead(raw({ ...base, accept: 'x' }), { ...open, requestFields: 4 })).toBeUndefined();
    expect(streamHead(raw({ ...base, accept: 'x'.repeat(30) }), { ...open, requestFieldSize: 20 })).toBeUndefined();
  });
});
