import type { IncomingMessage, ServerResponse } from 'node:http';
import { expect, test } from 'vitest';
import type { ClientLimits } from '../config/types.ts';
import type { RefusalKind } from './refusal-log.ts';
import { headCheck } from './request-limits.ts';

const LIMITS = { requestLine: 40, requestFields: 3, requestFieldSize: 20 } as ClientLimits;

function run(limits: ClientLimits, request: { method?: string; url: string; rawHeaders: string[]; version?: number }) {
  const refused: RefusalKind[] = [];
  const check = headCheck(limits, { refused: (kind) => refused.push(kind) });
  let status: number | undefined;
  const res = {
    headersSent: false,
    writeHead(code: number) {
      status = code;
    },
    end() {},
  } as unknown as ServerResponse;
  const req = {
    method: request.method ?? 'GET',
    url: request.url,
    rawHeaders: request.rawHeaders,
    httpVersionMajor: request.version ?? 1,
    socket: { remoteAddress: '10.1.2.3' },
  } as unknown as IncomingMessage;
  (res as { req?: IncomingMessage }).req = req;
  const answered = check?.(req, res);
  return { answered, status, refused };
}

test('request line: 414 past limit-request-line (method, target and " HTTP/1.1" counted)', () => {
  // GET + space + 27 + " HTTP/1.1" = 40: at the limit.
  expect(run(LIMITS, { url: `/${'a'.repeat(26)}`, rawHeaders: [] })).toEqual({
    answered: false,
    status: undefined,
    refused: [],
  });
  expect(run(LIMITS, { url: `/${'a'.repeat(27)}`, rawHeaders: [] })).toEqual({
    answered: true,
    status: 414,
    refused: ['limit-request-line'],
  });
});

test('fields: 431 past limit-request-fields or limit-request-field-size (name and value counted)', () => {
  const three = ['Host', 'x', 'A', 'b', 'C', 'd'];
  expect(run(LIMITS, { url: '/', rawHeaders: three }).answered).toBe(false);
  expect(run(LIMITS, { url: '/', rawHeaders: [...three, 'E', 'f'] })).toMatchObject({
    status: 431,
    refused: ['limit-request-fields'],
  });
  expect(run(LIMITS, { url: '/', rawHeaders: ['Cookie', 'c'.repeat(14)] }).answered).toBe(false);
  expect(run(LIMITS, { url: '/', rawHeaders: ['Cookie', 'c'.repeat(15)] })).toMatchObject({
    status: 431,
    refused: ['limit-request-field-size'],
  });
});

test('HTTP/2 requests are left to the HTTP/2 limits; every limit at 0 means no check at all', () => {
  expect(run(LIMITS, { url: `/${'a'.repeat(100)}`, rawHeaders: [], version: 2 }).answered).toBe(false);
  expect(headCheck({ requestLine: 0, requestFields: 0, requestFieldSize: 0 } as ClientLimits, { refused() {} })).toBe(
    undefined,
  );
});
