// The proxy trust rules on hand-made requests: what is removed, what is believed, and which address is the client.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { forwardedPolicy } from './forwarded.ts';

function fakeRequest(peer: string | undefined, raw: string[]): IncomingMessage {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    headers[name] = headers[name] === undefined ? raw[i + 1]! : `${headers[name]}, ${raw[i + 1]!}`;
  }
  return { headers, rawHeaders: [...raw], socket: { remoteAddress: peer } } as unknown as IncomingMessage;
}

const SPOOF = [
  'Host',
  'a',
  'X-Forwarded-For',
  '6.6.6.6',
  'X-Forwarded-Proto',
  'https',
  'X-Forwarded-Host',
  'evil',
  'Forwarded',
  'for=6.6.6.6',
  'X-Forwarded-Port',
  '1',
];

describe('forwarded-allow-ips', () => {
  it('removes every proxy header from a peer that is not trusted, in headers and rawHeaders', () => {
    const req = fakeRequest('203.0.113.9', SPOOF);
    expect(forwardedPolicy(['127.0.0.1'])(req)).toBeUndefined();
    expect(req.headers).toEqual({ host: 'a' });
    expect(req.rawHeaders).toEqual(['Host', 'a']);
  });

  it('believes a trusted peer: the client is the first untrusted address from the right', () => {
    const req = fakeRequest('10.0.0.3', [
      'X-Forwarded-For',
      '6.6.6.6, 198.51.100.7',
      'X-Forwarded-For',
      '10.0.0.2',
      'X-Forwarded-Proto',
      'https',
    ]);
    expect(forwardedPolicy(['10.0.0.0/8'])(req)).toBe('198.51.100.7');
    // What the client itself wrote (6.6.6.6) is dropped; the proxies after the client stay.
    expect(req.headers['x-forwarded-for']).toBe('198.51.100.7, 10.0.0.2');
    expect(req.rawHeaders).toEqual(['X-Forwarded-Proto', 'https', 'x-forwarded-for', '198.51.100.7, 10.0.0.2']);
    expect(req.headers['x-forwarded-proto']).toBe('https');
  });

  it('takes the leftmost address when every hop is trusted', () => {
    const req = fakeRequest('127.0.0.1', ['X-Forwarded-For', '10.1.1.1, 10.2.2.2']);
    expect(forwardedPolicy(['127.0.0.1', '10.0.0.0/8'])(req)).toBe('10.1.1.1');
    expect(req.headers['x-forwarded-for']).toBe('10.1.1.1, 10.2.2.2');
  });

  it('trusts any peer with "*", IPv4-mapped peers as their IPv4 address, and IPv6 ranges', () => {
    expect(forwardedPolicy(['*'])(fakeRequest('203.0.113.9', ['X-Forwarded-For', '192.0.2.1']))).toBe('192.0.2.1');
    expect(forwardedPolicy(['127.0.0.1'])(fakeRequest('::ffff:127.0.0.1', ['X-Forwarded-For', '192.0.2.1']))).toBe(
      '192.0.2.1',
    );
    expect(forwardedPolicy(['fd00::/8'])(fakeRequest('fd00::5', ['X-Forwarded-For', '2001:db8::1']))).toBe(
      '2001:db8::1',
    );
    expect(forwardedPolicy(['fd00::/8'])(fakeRequest('fe80::5', ['X-Forwarded-For', '2001:db8::1']))).toBeUndefined();
  });

  it('drops an X-Forwarded-For that names no address, and leaves requests without proxy headers alone', () => {
    const garbage = fakeRequest('127.0.0.1', ['X-Forwarded-For', 'unknown', 'X-Forwarded-Proto', 'https']);
    expect(forwardedPolicy(['127.0.0.1'])(garbage)).toBeUndefined();
    expect(garbage.headers).toEqual({ 'x-forwarded-proto': 'https' });
    const plain = fakeRequest('203.0.113.9', ['Host', 'a', 'Accept', '*/*']);
    expect(forwardedPolicy(['127.0.0.1'])(plain)).toBeUndefined();
    expect(plain.rawHeaders).toEqual(['Host', 'a', 'Accept', '*/*']);
  });

  it('trusts nobody with an empty list, and a unix-socket peer (no address) is never trusted', () => {
    const req = fakeRequest('127.0.0.1', ['X-Forwarded-For', '192.0.2.1']);
    expect(forwardedPolicy([])(req)).toBeUndefined();
    expect(req.headers['x-forwarded-for']).toBeUndefined();
    expect(forwardedPolicy(['127.0.0.1'])(fakeRequest(undefined, ['X-Forwarded-For', '192.0.2.1']))).toBeUndefined();
  });
});

describe('requests with no proxy header', () => {
  it('leaves every header as it came, those starting like one included, from any peer', () => {
    const raw = ['Host', 'a', 'X-Requested-With', 'fetch', 'From', 'me@example.org', 'x-forwarded', 'no'];
    for (const peer of ['127.0.0.1', '203.0.113.9']) {
      const req = fakeRequest(peer, raw);
      const headers = { ...req.headers };
      expect(forwardedPolicy(['127.0.0.1'])(req)).toBeUndefined();
      expect(req.rawHeaders).toEqual(raw);
      expect(req.headers).toEqual(headers);
    }
  });
});
