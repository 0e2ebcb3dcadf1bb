// Request smuggling and malformed framing, sent byte for byte at the built corral over plain HTTP and over the HTTP/1.1 fallback of an HTTPS (HTTP/2) listener, also under NODE_OPTIONS=--insecure-http-parser: each is answered 400 and the connection closed, and the request hidden in it never reaches the app.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCorral, stopAll, type Running } from './harness.ts';
import { exchange, type Exchange } from './raw-http.ts';
import { makeTestCa } from './tls-fixtures.ts';

const ECHO = fileURLToPath(new URL('../apps/echo/app.mjs', import.meta.url));

/** A request hidden in the body of case `n`: it must never reach the app. */
const hidden = (n: number) => `GET /smuggled-${n} HTTP/1.1\r\nHost: a\r\n\r\n`;
const hex = (text: string) => text.length.toString(16);

/** Each case: its bytes, given its number (for the paths: /case-N, /smuggled-N). */
const CASES: Record<string, (n: number) => string> = {
  'CL.TE: Content-Length and chunked': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nContent-Length: ${5 + hidden(n).length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${hidden(n)}`,
  'TE.CL: chunked and Content-Length': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n${hex(hidden(n))}\r\n${hidden(n)}\r\n0\r\n\r\n`,
  'TE.TE: chunked, then an unknown coding': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${hidden(n)}`,
  'two different Content-Length': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: ${hidden(n).length}\r\n\r\n${hidden(n)}`,
  'two equal Content-Length': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello`,
  'Content-Length as a list': (n) => `POST /case-${n} HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello`,
  'Content-Length with a sign': (n) => `POST /case-${n} HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello`,
  'Content-Length in exponent form': (n) => `POST /case-${n} HTTP/1.1\r\nHost: a\r\nContent-Length: 5e0\r\n\r\nhello`,
  'Content-Length past 2^64': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551621\r\n\r\nhello`,
  'obs-fold hiding Transfer-Encoding': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nX-A: b\r\n Transfer-Encoding: chunked\r\nContent-Length: ${5 + hidden(n).length}\r\n\r\n0\r\n\r\n${hidden(n)}`,
  'obs-fold': (n) => `GET /case-${n} HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n`,
  'bare CR between two header fields': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nX-A: b\rTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
  'bare CR ending the request line': (n) => `GET /case-${n} HTTP/1.1\rHost: a\r\n\r\n`,
  'bare LF line endings': (n) =>
    `POST /case-${n} HTTP/1.1\nHost: a\nContent-Length: ${hidden(n).length}\n\n${hidden(n)}`,
  'bare LF before Transfer-Encoding': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
  'chunk size with a minus sign': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n`,
  'chunk size with 0x': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n`,
  'chunk size with an underscore': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6_0\r\nhello\r\n0\r\n\r\n`,
  'chunk size past 2^64': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000005\r\nhello\r\n0\r\n\r\n${hidden(n)}`,
  'chunk size missing': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n`,
  'chunk longer than its size': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n${hidden(n)}`,
  'chunk size with a space before it': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n`,
  'Transfer-Encoding not chunked last': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n${hidden(n)}`,
  'Transfer-Encoding without chunked': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n${hidden(n)}`,
  'Transfer-Encoding: xchunked': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
  'Transfer-Encoding with a space before the colon': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
  'Transfer-Encoding after a vertical tab': (n) =>
    `POST /case-${n} HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\x0bchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
  'Transfer-Encoding in HTTP/1.0 with keep-alive': (n) =>
    `POST /case-${n} HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n${hidden(n)}`,
  'two Host fields': (n) => `GET /case-${n} HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n${hidden(n)}`,
  'HTTP/1.1 without Host': (n) => `GET /case-${n} HTTP/1.1\r\n\r\n`,
  'NUL in a field value': (n) => `GET /case-${n} HTTP/1.1\r\nHost: a\r\nX-A: a\0b\r\n\r\n`,
  'HTTP/2.0 in an HTTP/1 request line': (n) => `GET /case-${n} HTTP/2.0\r\nHost: a\r\n\r\n${hidden(n)}`,
  'HTTP/0.9 request line': (n) => `GET /case-${n} HTTP/0.9\r\nHost: a\r\n\r\n`,
  '* as the target of GET': (n) => `GET * HTTP/1.1\r\nHost: a\r\nX-Case: ${n}\r\n\r\n${hidden(n)}`,
  'a refused request pipelined behind a good one': (n) =>
    `GET /case-${n} HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n${hidden(n)}`,
};

/** Cases whose first request is a good one: it alone gets a 200. */
const GOOD_FIRST = new Set(['a refused request pipelined behind a good one']);

interface Target {
  port: number;
  corral: Running;
  tlsCa?: string;
}

const ca = makeTestCa('corral-smuggling-');
const targets: Record<string, Target> = {};

beforeAll(async () => {
  const plain = await startCorral(['--http', '127.0.0.1:0', '--module', ECHO, '--processes', '1']);
  // A process told to parse leniently (llhttp's "insecure" mode, which takes CL.TE and bare LF): corral's servers stay strict.
  const lenient = await startCorral(
    [
      '--http',
      '127.0.0.1:0',
      '--https',
      `127.0.0.1:0,${ca.certFile},${ca.keyFile}`,
      '--module',
      ECHO,
      '--processes',
      '1',
    ],
    { env: { NODE_OPTIONS: '--insecure-http-parser' } },
  );
  const portOf = (corral: Running, i: number) =>
    Number(((corral.logs.find((l) => l.msg === 'ready')!.addresses as string[])[i] ?? '').split(':').at(-1));
  targets.plain = { corral: plain, port: portOf(plain, 0) };
  targets['plain, NODE_OPTIONS=--insecure-http-parser'] = { corral: lenient, port: portOf(lenient, 0) };
  targets['https HTTP/1.1 fallback, NODE_OPTIONS=--insecure-http-parser'] = {
    corral: lenient,
    port: portOf(lenient, 1),
    tlsCa: ca.caPem,
  };
}, 30_000);

afterAll(stopAll);

function send(target: Target, text: string, responses?: number, timeoutMs = 5000): Promise<Exchange> {
  return exchange(target.port, Buffer.from(text, 'latin1'), {
    quietMs: 400,
    timeoutMs,
    ...(responses !== undefined && { responses }),
    ...(target.tlsCa !== undefined && { tlsCa: target.tlsCa }),
  });
}

const TARGETS = [
  'plain',
  'plain, NODE_OPTIONS=--insecure-http-parser',
  'https HTTP/1.1 fallback, NODE_OPTIONS=--insecure-http-parser',
];

describe.each(TARGETS)('%s', (targetName) => {
  it('serves good requests, one after the other on a connection', async () => {
    const target = targets[targetName]!;
    const two = 'GET /ok-1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /ok-2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi';
    const result = await send(target, two, 2);
    expect(result.responses.map((r) => r.status)).toEqual([200, 200]);
    expect(JSON.parse(result.responses[1]!.body.toString()).body).toBe('hi');
  });

  it.each(Object.keys(CASES).map((name, n) => [name, n] as const))('refuses %s', async (name, n) => {
    const target = targets[targetName]!;
    const result = await send(target, CASES[name]!(n));
    expect(result.timedOut).toBe(false);
    expect(result.closed).toBe(true);
    const statuses = result.responses.map((r) => r.status);
    if (GOOD_FIRST.has(name)) expect(statuses).toEqual([200, 400]);
    // A 400 each time, not merely a closed connection (a worker that died closes it too).
    else expect(statuses).toEqual([400]);
    // Whatever reached the app, the hidden request did not.
    const lines = target.corral.logs.filter((line) => line.msg === 'request');
    expect(lines.filter((line) => String(line.path).startsWith(`/smuggled-${n}`))).toEqual([]);
  });
});

describe('a client that pipelines requests and leaves', () => {
  it('has every one of them closed, the queued ones too (they stayed in flight for good)', async () => {
    const target = targets.plain!;
    const three = [1, 2, 3].map((i) => `GET /queued-${i}?delay=1000 HTTP/1.1\r\nHost: a\r\n\r\n`).join('');
    // The client leaves after 200 ms, long before the first answer.
    await send(target, three, undefined, 200);
    for (const i of [1, 2, 3]) {
      const line = await target.corral.waitFor(
        (l) => l.msg === 'request' && l.path === `/queued-${i}?delay=1000`,
        3000,
      );
      expect(line.aborted).toBe(true);
    }
  });
});

describe('after the cases', () => {
  it('no worker died, and corral failed no request itself', async () => {
    for (const target of Object.values(targets)) {
      const [worker] = (await target.corral.waitFor((line) => line.msg === 'ready')).workers as number[];
      const after = await send(target, 'GET /after HTTP/1.1\r\nHost: a\r\n\r\n', 1);
      expect(JSON.parse(after.responses[0]!.body.toString()).pid).toBe(worker);
      expect(target.corral.logs.filter((line) => line.msg?.startsWith('worker died') === true)).toEqual([]);
      expect(target.corral.logs.filter((line) => line.msg === 'request' && Number(line.status) >= 500)).toEqual([]);
      expect(target.corral.logs.filter((line) => String(line.path).startsWith('/smuggled'))).toEqual([]);
    }
  });
});
