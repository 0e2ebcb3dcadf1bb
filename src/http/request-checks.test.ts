import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { malformation } from './request-checks.ts';

/** An HTTP/1 request as node:http would hand it over, with the raw header list given. */
function request(rawHeaders: string[], fields: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    httpVersion: '1.1',
    method: 'GET',
    url: '/',
    rawHeaders,
    ...fields,
  } as IncomingMessage;
}

describe('malformation', () => {
  it('lets an ordinary request through, and one Host and one Content-Type in any case', () => {
    expect(malformation(request(['Host', 'a', 'content-TYPE', 'text/plain', 'Accept', '*/*']))).toBeUndefined();
    expect(malformation(request(['Host', 'a', 'Hose', 'b', 'Content-Types', 'x']))).toBeUndefined();
  });

  it('refuses a second Host or Content-Type, whatever their case', () => {
    expect(malformation(request(['Host', 'a', 'HOST', 'b']))).toBe('more than one Host header');
    expect(malformation(request(['Content-Type', 'a', 'content-type', 'a']))).toBe('more than one Content-Type header');
  });

  it('refuses Transfer-Encoding in HTTP/1.0 only', () => {
    const chunked = ['Transfer-Encoding', 'chunked'];
    expect(malformation(request(chunked, { httpVersionMinor: 0, httpVersion: '1.0' }))).toBe(
      'Transfer-Encoding in an HTTP/1.0 request',
    );
    expect(malformation(request(['Host', 'a', ...chunked]))).toBeUndefined();
  });

  it('takes * as the target of OPTIONS alone', () => {
    expect(malformation(request(['Host', 'a'], { method: 'OPTIONS', url: '*' }))).toBeUndefined();
    expect(malformation(request(['Host', 'a'], { url: '*' }))).toBe('* is a target for OPTIONS only, not GET');
  });

  it('does not take Transfer-Encoding in an HTTP/2 request for HTTP/1.0', () => {
    const h2 = request([':authority', 'a', 'transfer-encoding', 'x'], {
      httpVersionMajor: 2,
      httpVersionMinor: 0,
      httpVersion: '2.0',
    });
    Object.defineProperty(h2, 'stream', { value: {} });
    expect(malformation(h2)).toBeUndefined();
  });
});
