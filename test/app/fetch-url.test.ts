// requestUrl's shortcut (origins parsed once per Host, plain targets appended as they are) gives what the URL parser gives.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../src/app/adapters/fetch-request.ts';

function fakeRequest(url: string, host: string, encrypted = false): IncomingMessage {
  return {
    url,
    headers: { host },
    socket: { encrypted, localAddress: '127.0.0.1', localPort: 8080 },
    httpVersionMajor: 1,
  } as unknown as IncomingMessage;
}

const TARGETS = [
  '/',
  '/a/b?q=1&r=two',
  '/a/./b/../c',
  '/a/%2e%2E/b',
  '/a/.%2e/b',
  "/it's?quote='x'",
  '/sp ace',
  '/a?b=/../c',
  '/%zz/%41',
  '/a#frag',
  '/a\\b',
  '/ü',
  '/a|b^c`d{e}',
  '/q?x="y"<z>',
  '/@:!$&()*+,;=~',
  '//double//slash',
];
const HOSTS = [
  'example.test',
  'Example.TEST:8080',
  'example.test:80',
  '127.0.0.1:3000',
  '127.1',
  '0x7f.0.0.1',
  '[::1]:80',
  '[0:0::1]',
  'xn--nxasmq6b.test',
  'bad host',
  'user@host',
  'a#b',
  'host:99999',
  'host:0080',
];

describe('requestUrl', () => {
  it('gives what new URL() gives, for every target and Host in the table, twice (the second from the origin map)', () => {
    for (const encrypted of [false, true]) {
      for (const host of HOSTS) {
        for (const target of TARGETS) {
          const scheme = encrypted ? 'https' : 'http';
          let expected: string;
          try {
            expected = new URL(`${scheme}://${host}${target}`).href;
          } catch {
            expected = new URL(`${scheme}://127.0.0.1:8080${target}`).href;
          }
          for (let round = 0; round < 2; round++)
            expect(requestUrl(fakeRequest(target, host, encrypted)), `${scheme} ${host} ${target}`).toBe(expected);
        }
      }
    }
  });
});
