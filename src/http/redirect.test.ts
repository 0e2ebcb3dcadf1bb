// Tests the plain-HTTP rules: Host parsing, the https Location, and which requests are answered before the pipeline.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, test } from 'vitest';
import { answerPlainHttp, hostOf, httpsLocation } from './redirect.ts';

describe('hostOf', () => {
  test.each([
    ['example.com', 'example.com'],
    ['example.com:8080', 'example.com'],
    ['[::1]:8080', '[::1]'],
    ['127.0.0.1', '127.0.0.1'],
    [undefined, undefined],
    ['exa mple.com', undefined],
    ['evil.com/path', undefined],
    ['a@b.com', undefined],
  ])('%s -> %s', (header, expected) => expect(hostOf(header)).toBe(expected));
});

describe('httpsLocation', () => {
  test('drops the port 443 and keeps any other', () => {
    expect(httpsLocation('example.com', 443, '/a?b=1')).toBe('https://example.com/a?b=1');
    expect(httpsLocation('example.com', 8443, '/a')).toBe('https://example.com:8443/a');
    expect(httpsLocation('[::1]', undefined, '/')).toBe('https://[::1]/');
  });
});

function fakeExchange(method: string, url: string, host?: string) {
  const sent: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
  const req = { method, url, headers: host === undefined ? {} : { host } } as unknown as IncomingMessage;
  const res = {
    writeHead(status: number, headers: Record<string, unknown>) {
      sent.status = status;
      sent.headers = headers;
    },
    end(body: string) {
      sent.body = body;
    },
  } as unknown as ServerResponse;
  return { req, res, sent };
}

describe('answerPlainHttp', () => {
  const tokens = new Map([['tok', 'tok.key']]);
  const rules = { redirect: true, redirectPort: 443, http01: (token: string) => tokens.get(token) };

  test('answers a known HTTP-01 token with its key authorization', () => {
    const { req, res, sent } = fakeExchange('GET', '/.well-known/acme-challenge/tok', 'example.com');
    expect(answerPlainHttp(rules, req, res)).toBe(true);
    expect(sent.status).toBe(200);
    expect(sent.body).toBe('tok.key');
  });

  test('lets an unknown token through to the pipeline, never redirecting it', () => {
    const { req, res, sent } = fakeExchange('GET', '/.well-known/acme-challenge/other', 'example.com');
    expect(answerPlainHttp(rules, req, res)).toBe(false);
    expect(sent.status).toBeUndefined();
  });

  test('301 for GET and HEAD, 308 for other methods', () => {
    for (const [method, status] of [
      ['GET', 301],
      ['HEAD', 301],
      ['POST', 308],
      ['DELETE', 308],
    ] as const) {
      const { req, res, sent } = fakeExchange(method, '/x?y', 'example.com:80');
      expect(answerPlainHttp(rules, req, res)).toBe(true);
      expect(sent.status).toBe(status);
      expect(sent.headers?.location).toBe('https://example.com/x?y');
    }
  });

  test('400 without a usable Host', () => {
    const { req, res, sent } = fakeExchange('GET', '/', undefined);
    expect(answerPlainHttp(rules, req, res)).toBe(true);
    expect(sent.status).toBe(400);
  });

  test('without the redirect, everything goes on to the pipeline', () => {
    const { req, res } = fakeExchange('GET', '/x', 'example.com');
    expect(answerPlainHttp({ redirect: false }, req, res)).toBe(false);
  });
});
