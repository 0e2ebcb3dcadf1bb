// Unit tests of the PROXY protocol parser: v1 and v2 headers that are valid, cut short, garbage, of unknown families, and LOCAL.
import { describe, expect, it } from 'vitest';
import { ipv6, parseProxyHeader } from './proxy-header.ts';

const SIGNATURE = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];

/** A v2 header: version 2, `command`, family/protocol byte, then `body` (addresses and TLVs). */
function v2(command: number, familyProtocol: number, body: number[]): Buffer {
  const length = [body.length >> 8, body.length & 0xff];
  return Buffer.from([...SIGNATURE, 0x20 | command, familyProtocol, ...length, ...body]);
}
const IPV4_BODY = [203, 0, 113, 7, 10, 0, 0, 1, 0xd4, 0x31, 0x00, 0x50]; // 203.0.113.7:54321 -> 10.0.0.1:80
const IPV6_BODY = [
  ...[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01], // 2001:db8::1
  ...[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02], // ::2
  0x04,
  0xd2,
  0x01,
  0xbb,
];

describe('PROXY protocol v1', () => {
  it('reads TCP4 and TCP6 lines, and the bytes after them are left alone', () => {
    const data = Buffer.from('PROXY TCP4 192.0.2.10 127.0.0.1 51000 8080\r\nGET / HTTP/1.1\r\n');
    expect(parseProxyHeader(data)).toEqual({
      kind: 'header',
      version: 1,
      length: 44,
      client: { address: '192.0.2.10', port: 51000, family: 'IPv4' },
    });
    expect(parseProxyHeader(Buffer.from('PROXY TCP6 2001:db8::5 ::1 443 8443\r\n'))).toMatchObject({
      client: { address: '2001:db8::5', port: 443, family: 'IPv6' },
    });
  });

  it('takes UNKNOWN as a header with no client', () => {
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).toEqual({
      kind: 'header',
      version: 1,
      length: 15,
      client: undefined,
    });
    expect(parseProxyHeader(Buffer.from('PROXY UNKNOWN ffff:: ffff:: 1 2\r\n'))).toMatchObject({ client: undefined });
  });

  it('waits for the rest of a line cut short, at any byte', () => {
    const line = 'PROXY TCP4 192.0.2.10 127.0.0.1 51000 8080\r\n';
    for (let n = 1; n < line.length; n++)
      expect(parseProxyHeader(Buffer.from(line.slice(0, n))), `${n} bytes`).toEqual({ kind: 'incomplete' });
  });

  it('refuses garbage, bad addresses, ports and protocols, and lines past 107 bytes', () => {
    const refused = [
      'GET / HTTP/1.1\r\n',
      'PROXY TCP4 192.0.2.10 127.0.0.1 51000\r\n',
      'PROXY TCP4 ::1 127.0.0.1 1 2\r\n',
      'PROXY TCP6 192.0.2.1 ::1 1 2\r\n',
      'PROXY TCP4 192.0.2.10 127.0.0.1 70000 80\r\n',
      'PROXY TCP4 192.0.2.10 127.0.0.1 080 80\r\n',
      'PROXY UDP4 192.0.2.10 127.0.0.1 1 2\r\n',
      'PROXY TCP4  192.0.2.10 127.0.0.1 1 2\r\n',
      `PROXY TCP4 ${'1'.repeat(120)}`,
      `PROXY UNKNOWN ${'x'.repeat(100)}\r\n`,
      '\x16\x03\x01\x02\x00', // a TLS ClientHello sent without a header
    ];
    for (const text of refused)
      expect(parseProxyHeader(Buffer.from(text, 'latin1')).kind, JSON.stringify(text)).toBe('invalid');
  });
});

describe('PROXY protocol v2', () => {
  it('reads IPv4 and IPv6 PROXY headers, and skips their TLVs', () => {
    expect(parseProxyHeader(Buffer.concat([v2(1, 0x11, IPV4_BODY), Buffer.from('GET /')]))).toEqual({
      kind: 'header',
      version: 2,
      length: 28,
      client: { address: '203.0.113.7', port: 54321, family: 'IPv4' },
    });
    expect(parseProxyHeader(v2(1, 0x21, IPV6_BODY))).toMatchObject({
      length: 52,
      client: { address: '2001:db8::1', port: 1234, family: 'IPv6' },
    });
    const tlv = [0x04, 0x00, 0x03, 0x61, 0x62, 0x63]; // PP2_TYPE_NOOP, 3 bytes
    expect(parseProxyHeader(v2(1, 0x11, [...IPV4_BODY, ...tlv]))).toMatchObject({
      length: 34,
      client: { address: '203.0.113.7' },
    });
  });

  it('takes LOCAL (a balancer health check), AF_UNSPEC and AF_UNIX as headers with no client', () => {
    expect(parseProxyHeader(v2(0, 0x00, []))).toEqual({ kind: 'header', version: 2, length: 16, client: undefined });
    expect(parseProxyHeader(v2(0, 0x11, IPV4_BODY))).toMatchObject({ length: 28, client: undefined });
    expect(parseProxyHeader(v2(1, 0x00, []))).toMatchObject({ client: undefined });
    expect(parseProxyHeader(v2(1, 0x31, new Array(216).fill(0)))).toMatchObject({ client: undefined });
  });

  it('waits for a header cut short, at any byte', () => {
    const header = v2(1, 0x21, IPV6_BODY);
    for (let n = 1; n < header.length; n++)
      expect(parseProxyHeader(header.subarray(0, n)), `${n} bytes`).toEqual({ kind: 'incomplete' });
  });

  it('refuses other versions and commands, unknown families and protocols, and addresses longer than the header', () => {
    const wrongVersion = v2(1, 0x11, IPV4_BODY);
    wrongVersion[12] = 0x11;
    expect(parseProxyHeader(wrongVersion)).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(v2(2, 0x11, IPV4_BODY))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(v2(1, 0x41, IPV4_BODY))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(v2(1, 0x13, IPV4_BODY))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(v2(1, 0x11, IPV4_BODY.slice(0, 8)))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(v2(1, 0x21, IPV4_BODY))).toMatchObject({ kind: 'invalid' });
    expect(parseProxyHeader(v2(1, 0x31, IPV4_BODY))).toMatchObject({ kind: 'invalid' });
  });
});

describe('ipv6', () => {
  it('writes addresses as Node reports peers', () => {
    const bytes = (groups: number[]) => Buffer.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
    expect(ipv6(bytes([0, 0, 0, 0, 0, 0, 0, 1]), 0)).toBe('::1');
    expect(ipv6(bytes([0, 0, 0, 0, 0, 0, 0, 0]), 0)).toBe('::');
    expect(ipv6(bytes([0x2001, 0xdb8, 0, 0, 1, 0, 0, 0]), 0)).toBe('2001:db8:0:0:1::');
    expect(ipv6(bytes([0x2001, 0xdb8, 1, 0, 1, 1, 1, 1]), 0)).toBe('2001:db8:1:0:1:1:1:1');
    expect(ipv6(bytes([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]), 0)).toBe('::ffff:192.0.2.1');
  });
});
