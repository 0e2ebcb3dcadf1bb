// The combined access line: nginx's field order, its time format, and every client-sent value escaped so that no request can forge a line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from './access-log.ts';
import { combinedLog, escapeField, localTimeText } from './combined-log.ts';

function linesFor(requests: Array<{ req: Partial<IncomingMessage>; status?: number; remote?: string }>): string[] {
  const lines: string[] = [];
  const write = combinedLog({ writeLine: (line) => void lines.push(line), bindingsJson: '' });
  for (const { req, status, remote } of requests) {
    const socket = { bytesWritten: 500 };
    const fullReq = { httpVersionMajor: 1, httpVersion: '1.1', method: 'GET', url: '/', headers: {}, socket, ...req };
    const record: RequestRecord = {
      id: 'w1-1',
      started: performance.now(),
      bytesBefore: 100,
      remote: remote ?? '127.0.0.1',
      proxy: undefined,
      static: false,
      failed: false,
      bytes: -1,
      res: undefined,
      prev: undefined,
      next: undefined,
      list: undefined,
    };
    write({ req: fullReq, statusCode: status ?? 200, writableFinished: true } as never as ServerResponse, record);
  }
  return lines;
}

/** nginx's combined format, as a reader of it would parse the line. */
const COMBINED = /^(\S+) - - \[([^\]]+)\] "([^"]*)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"\n$/;

describe('combined access line', () => {
  it("has nginx's fields in nginx's order", () => {
    const [line] = linesFor([
      {
        req: {
          method: 'POST',
          url: '/form?x=1',
          headers: { referer: 'https://a.example/', 'user-agent': 'curl/8.5.0' },
        },
        status: 201,
        remote: '203.0.113.9',
      },
    ]);
    const match = COMBINED.exec(line ?? '');
    expect(match?.slice(1)).toEqual([
      '203.0.113.9',
      expect.stringMatching(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}$/),
      'POST /form?x=1 HTTP/1.1',
      '201',
      '400',
      'https://a.example/',
      'curl/8.5.0',
    ]);
  });

  it('writes "-" for a missing referer or user agent, and for the bytes of an HTTP/2 response', () => {
    const [line] = linesFor([{ req: { httpVersionMajor: 2, httpVersion: '2.0', url: '/h2' } }]);
    expect(line).toMatch(/"GET \/h2 HTTP\/2\.0" 200 - "-" "-"\n$/);
  });

  it('escapes quotes, backslashes, control and non-ASCII bytes: a hostile client cannot end a field or the line', () => {
    const agent = 'evil"\n127.0.0.1 - - [01/Jan/2000:00:00:00 +0000] "GET /admin HTTP/1.1" 200 1 "-" "x\\';
    const [line] = linesFor([
      { req: { url: '/a"b\r\nc\u00e9', headers: { 'user-agent': agent, referer: '\u0007"' } } },
    ]);
    expect(line?.split('\n')).toHaveLength(2);
    const match = COMBINED.exec(line ?? '');
    expect(match).not.toBeNull();
    expect(match?.[3]).toBe('GET /a\\x22b\\x0D\\x0Ac\\xE9 HTTP/1.1');
    expect(match?.[6]).toBe('\\x07\\x22');
    expect(match?.[7]).toBe(
      'evil\\x22\\x0A127.0.0.1 - - [01/Jan/2000:00:00:00 +0000] \\x22GET /admin HTTP/1.1\\x22 200 1 \\x22-\\x22 \\x22x\\x5C',
    );
  });

  it('escapes a character past latin1 as its UTF-8 bytes, and leaves plain text as it is', () => {
    expect(escapeField('/\u2028')).toBe('/\\xE2\\x80\\xA8');
    expect(escapeField('Mozilla/5.0 (X11; Linux x86_64)')).toBe('Mozilla/5.0 (X11; Linux x86_64)');
  });

  it('makes each piece again when it changes from one line to the next', () => {
    const lines = linesFor([
      { req: { url: '/one' }, status: 200 },
      { req: { url: '/one' }, status: 404 },
      { req: { url: '/two', headers: { 'user-agent': 'b' } }, remote: '10.0.0.2' },
    ]);
    expect(lines.map((line) => COMBINED.exec(line)?.slice(3, 5))).toEqual([
      ['GET /one HTTP/1.1', '200'],
      ['GET /one HTTP/1.1', '404'],
      ['GET /two HTTP/1.1', '200'],
    ]);
    expect(lines[2]).toMatch(/^10\.0\.0\.2 .*"-" "b"\n$/);
  });

  it("formats the time as nginx's $time_local", () => {
    const date = new Date(2026, 10, 3, 4, 5, 6);
    const offset = -date.getTimezoneOffset();
    const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    expect(localTimeText(date)).toBe(`03/Nov/2026:04:05:06 ${zone}`);
  });
});
