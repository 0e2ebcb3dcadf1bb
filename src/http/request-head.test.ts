// The static fast path's head reader: what it takes, what it leaves to node:http, and (fuzzed with fast-check) that whatever it takes, node:http's strict llhttp reads with the same method, target and fields.
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRequestHead, type HeadLimits } from './request-head.ts';

const NO_LIMITS: HeadLimits = { requestLine: 0, requestFields: 0, requestFieldSize: 0, headerSize: 0 };

const read = (text: string, limits: HeadLimits = NO_LIMITS) => readRequestHead(text, 0, limits);

describe('readRequestHead', () => {
  it("takes wrk's and a browser's GET, fields by lower-case name, values trimmed", () => {
    const wrk = 'GET /s/a.txt HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n';
    expect(read(wrk)).toEqual({
      method: 'GET',
      target: '/s/a.txt',
      headers: { host: '127.0.0.1:8080' },
      body: '',
      end: wrk.length,
    });
    const browser =
      'HEAD /app.js?v=3 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 (X11)  \r\n' +
      'Accept-Encoding: gzip, deflate, br\r\nIf-None-Match:\t"abc"\r\nConnection: keep-alive\r\nX-Empty:\r\n\r\n';
    const head = read(browser);
    expect(head?.method).toBe('HEAD');
    expect(head?.target).toBe('/app.js?v=3');
    expect({ ...head?.headers }).toEqual({
      host: 'example.com',
      'user-agent': 'Mozilla/5.0 (X11)',
      'accept-encoding': 'gzip, deflate, br',
      'if-none-match': '"abc"',
      connection: 'keep-alive',
      'x-empty': '',
    });
  });

  it('takes a POST, PUT, PATCH or DELETE with the body its Content-Length announces, when all of it came', () => {
    const post =
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 007\r\n\r\n{"a":1}';
    expect(read(`${post}GET / HTTP/1.1\r\n`)).toMatchObject({
      method: 'POST',
      headers: { 'content-length': '007', 'content-type': 'application/json' },
      body: '{"a":1}',
      end: post.length,
    });
    expect(read('DELETE /a HTTP/1.1\r\nHost: x\r\n\r\n')).toMatchObject({ method: 'DELETE', body: '' });
    expect(read('PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n')).toMatchObject({ method: 'PUT', body: '' });
  });

  it('reads pipelined heads one after the other, and none that is cut short', () => {
    const one = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n';
    const two = 'GET /b HTTP/1.1\r\nHost: x\r\n\r\n';
    const text = `${one}${two}GET /c HTTP/1.1\r\nHo`;
    const first = readRequestHead(text, 0, NO_LIMITS);
    expect(first?.end).toBe(one.length);
    const second = readRequestHead(text, one.length, NO_LIMITS);
    expect(second?.target).toBe('/b');
    expect(readRequestHead(text, one.length + two.length, NO_LIMITS)).toBeUndefined();
  });

  it.each([
    ['another method', 'OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a GET with a Content-Length', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na'],
    ['a body still on its way', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabc'],
    ['a signed length', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\na'],
    ['a length of two numbers', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1 1\r\n\r\na'],
    ['a length of ten digits', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n'],
    ['a length with a tab after it', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\t\r\n\r\na'],
    ['two lengths', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na'],
    ['HTTP/1.0', 'GET / HTTP/1.0\r\nHost: x\r\n\r\n'],
    ['no Host', 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n'],
    ['two Host fields', 'GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n'],
    ['a field twice', 'GET / HTTP/1.1\r\nHost: x\r\nAccept: a\r\naccept: b\r\n\r\n'],
    ['Content-Length', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'],
    ['Transfer-Encoding', 'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['Range', 'GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n'],
    ['Upgrade', 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'],
    ['Connection: close', 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['Expect', 'GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n'],
    ['X-Forwarded-For', 'GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n'],
    ['obs-fold', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n'],
    ['a bare LF', 'GET / HTTP/1.1\nHost: x\r\n\r\n'],
    ['a bare CR in a value', 'GET / HTTP/1.1\r\nHost: x\rY\r\n\r\n'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'],
    ['a fragment', 'GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an absolute target', 'GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a control character', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n'],
    ['a byte over 0x7e', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: caf\xe9\r\n\r\n'],
    ['an empty line first', '\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a head cut short', 'GET / HTTP/1.1\r\nHost: x\r\n'],
  ])('leaves %s to node:http', (_name, text) => {
    expect(read(text)).toBeUndefined();
  });

  it('leaves a head over any limit to node:http, which refuses it', () => {
    const text = 'GET /abcdef HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n';
    expect(read(text)).toBeDefined();
    expect(read(text, { ...NO_LIMITS, requestLine: 19 })).toBeUndefined();
    expect(read(text, { ...NO_LIMITS, requestLine: 20 })).toBeDefined();
    expect(read(text, { ...NO_LIMITS, requestFields: 1 })).toBeUndefined();
    expect(read(text, { ...NO_LIMITS, requestFieldSize: 8 })).toBeUndefined();
    expect(read(text, { ...NO_LIMITS, headerSize: 30 })).toBeUndefined();
    const huge = `GET / HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(17_000)}\r\n\r\n`;
    expect(read(huge)).toBeUndefined();
  });
});

/** What node:http made of a request: the fast path must read the same. */
interface Parsed {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as latin1. */
  body: string;
}

describe('readRequestHead against node:http (fuzzed)', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer({ insecureHTTPParser: false, requireHostHeader: true }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        // In a field, not the body: a HEAD answer has none.
        const body = Buffer.concat(chunks).toString('latin1');
        const parsed = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body });
        res.setHeader('x-parsed', Buffer.from(parsed).toString('base64'));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends `head` on a connection of its own; resolves with what node:http parsed, or undefined when it refused. */
  const parse = (head: string) =>
    new Promise<Parsed | undefined>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let got = '';
      socket.setEncoding('latin1');
      socket.on('data', (data: string) => (got += data));
      socket.on('error', reject);
      socket.on('close', () => {
        const field = /\r\nx-parsed: ([^\r]*)\r\n/i.exec(got);
        if (!got.startsWith('HTTP/1.1 200') || field === null) return resolve(undefined);
        resolve(JSON.parse(Buffer.from(field[1] as string, 'base64').toString()) as Parsed);
      });
      socket.setTimeout(5000, () => socket.destroy(new Error('no answer')));
      socket.end(Buffer.from(head, 'latin1'));
    });

  // Heads made of pieces near the edges of the grammar (spaces and tabs around values, case, odd bytes, duplicate
  // names), mostly well-formed so that many reach the reader's yes: each odd piece alone is enough for a no.
  const often = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: usual, weight: 6 }, { arbitrary: odd, weight: 1 });
  const nameChar = fc.constantFrom(..."aZ-_.!~0`|#$%&'*+^".split(''));
  const name = often(
    fc.constantFrom(
      'Accept',
      'Accept-Encoding',
      'If-None-Match',
      'If-Modified-Since',
      'Connection',
      'X-A',
      'user-agent',
    ),
    fc.oneof(
      fc.constantFrom('Host', 'Range', 'Content-Length', 'X-Forwarded-For', 'x a', 'x:a', '', 'é'),
      fc.string({ unit: nameChar, minLength: 1, maxLength: 6 }),
    ),
  );
  const valueChar = fc.constantFrom(...'a Z\t,;="/0~'.split(''));
  const value = often(
    fc.oneof(
      fc.constantFrom('x', 'keep-alive', 'gzip, br', '"abc"', '', 'a  b', 'Keep-Alive'),
      fc.string({ unit: valueChar, minLength: 0, maxLength: 8 }),
    ),
    fc.constantFrom('close', 'a\x7fb', 'a\x00', '\x01', 'caf\xe9', 'a\rb', 'a\nb', 'a\r\n b'),
  );
  const colon = often(fc.constantFrom(':', ': ', ':\t', ':  '), fc.constantFrom(' :', '\t:', ''));
  const field = fc
    .tuple(name, colon, value, fc.constantFrom('', ' ', '\t'))
    .map(([n, c, v, t]) => `${n}${c}${v}${t}\r\n`);
  const host = often(fc.constantFrom('Host: x\r\n', 'host:127.0.0.1:8080\r\n', 'HOST: a.b \r\n'), fc.constant(''));
  const targetChar = fc.constantFrom(...'/a.%20?=&~-_'.split(''));
  const target = often(
    fc.string({ unit: targetChar, minLength: 0, maxLength: 10 }).map((t) => `/${t}`),
    fc.constantFrom('*', 'http://x/', '/a#b', '/a b', '/\x7f', '/\x01', '/"', ''),
  );
  const line = fc
    .tuple(
      often(fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE'), fc.constantFrom('get', 'PUT', 'OPTIONS', 'GET ')),
      target,
      often(fc.constant(' HTTP/1.1'), fc.constantFrom(' HTTP/1.0', ' HTTP/1.1 ', ' http/1.1', ' HTTP/2.0')),
    )
    .map(([method, path, version]) => `${method} ${path}${version}\r\n`);
  // A body announced by a Content-Length (of a value llhttp may read otherwise), and what follows the head.
  const length = often(
    fc.constantFrom('0', '3', '03', '4'),
    fc.constantFrom('+3', '3 3', '', '0x3', '1000000000', ' 3', '3\t'),
  );
  const payload = often(
    fc.constant(undefined),
    fc.tuple(length, fc.string({ unit: fc.constantFrom(...'ab{}"\r\n'.split('')), maxLength: 4 })),
  );
  const head = fc
    .tuple(
      line,
      fc.array(field, { maxLength: 5 }),
      host,
      fc.nat(5),
      often(fc.constant('\r\n'), fc.constant('\n')),
      payload,
    )
    .map(([start, fields, hostField, at, eol, body]) => {
      fields.splice(at % (fields.length + 1), 0, hostField);
      if (body !== undefined) fields.push(`Content-Length: ${body[0]}\r\n`);
      return `${start}${fields.join('')}${eol}${body?.[1] ?? ''}`;
    });

  it('takes only heads that node:http reads with the same method, target, fields and body', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(head, async (text) => {
        const fast = read(text);
        if (fast === undefined) return;
        taken++;
        // What follows the body is the next request's: node:http is sent this request alone.
        const parsed = await parse(text.slice(0, fast.end));
        expect(parsed).toBeDefined();
        expect(parsed?.method).toBe(fast.method);
        expect(parsed?.url).toBe(fast.target);
        expect(parsed?.headers).toEqual({ ...fast.headers });
        expect(parsed?.body).toBe(fast.body);
      }),
      { numRuns: 3000 },
    );
    console.log(`head parity: ${taken} of 3000 heads taken by the fast path, each read alike by node:http`);
    // The generator must reach heads the reader takes, or the property says nothing.
    expect(taken).toBeGreaterThan(50);
  }, 60_000);
});
