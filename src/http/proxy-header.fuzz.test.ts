// Property tests of the PROXY header parser against hostile bytes: it never throws, never claims more bytes than it was
// given, reads every valid v1 and v2 header whatever follows it, and calls each strict prefix of one incomplete (a
// header split across TCP segments is waited for, never refused). The seed is printed; CORRAL_FUZZ_SEED replays it.
import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzRuns, fuzzSeed } from '../../test/static/path-fuzz.ts';
import { ipv6, parseProxyHeader } from './proxy-header.ts';

const seed = fuzzSeed();
const params = fuzzParameters(seed, fuzzRuns(2_000));
console.log(`PROXY header fuzz seed: ${seed} (replay with CORRAL_FUZZ_SEED=${seed})`);

const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const port = fc.integer({ min: 0, max: 65535 });
const bytes = (min: number, max: number) =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));

/** A v1 or v2 header that names a client, with the address and port it names. */
type Built = { header: Buffer; address: string; port: number };

const v1Header: fc.Arbitrary<Built> = fc.oneof(
  fc.tuple(fc.ipV4(), fc.ipV4(), port, port).map(([src, dst, sp, dp]) => ({
    header: Buffer.from(`PROXY TCP4 ${src} ${dst} ${sp} ${dp}\r\n`, 'latin1'),
    address: src,
    port: sp,
  })),
  fc.tuple(bytes(16, 16), bytes(16, 16), port, port).map(([src, dst, sp, dp]) => ({
    header: Buffer.from(`PROXY TCP6 ${ipv6(src, 0)} ${ipv6(dst, 0)} ${sp} ${dp}\r\n`, 'latin1'),
    address: ipv6(src, 0),
    port: sp,
  })),
);

const v2Header: fc.Arbitrary<Built> = fc
  .tuple(fc.boolean(), bytes(16, 16), bytes(16, 16), port, port, bytes(0, 64))
  .map(([six, src, dst, sp, dp, tlvs]) => {
    const addresses = six
      ? Buffer.concat([src, dst, Buffer.alloc(4)])
      : Buffer.concat([src.subarray(0, 4), dst.subarray(0, 4), Buffer.alloc(4)]);
    const at = six ? 32 : 8;
    addresses.writeUInt16BE(sp, at);
    addresses.writeUInt16BE(dp, at + 2);
    const body = Buffer.concat([addresses, tlvs]);
    const fixed = Buffer.from([0x21, six ? 0x21 : 0x11, 0, 0]);
    fixed.writeUInt16BE(body.length, 2);
    const address = six ? ipv6(src, 0) : [...src.subarray(0, 4)].join('.');
    return { header: Buffer.concat([V2_SIGNATURE, fixed, body]), address, port: sp };
  });

describe('parseProxyHeader on generated input', () => {
  it('never throws on any bytes, and never claims more bytes than it was given', () => {
    const anyStart = fc.oneof(
      bytes(0, 300),
      bytes(0, 300).map((b) => Buffer.concat([Buffer.from('PROXY ', 'latin1'), b])),
      bytes(0, 300).map((b) => Buffer.concat([V2_SIGNATURE, b])),
    );
    fc.assert(
      fc.property(anyStart, (data) => {
        const result = parseProxyHeader(data);
        expect(['incomplete', 'invalid', 'header']).toContain(result.kind);
        if (result.kind === 'header') expect(result.length).toBeLessThanOrEqual(data.length);
      }),
      params,
    );
  });

  it('reads every valid header whatever follows it, and waits on each strict prefix of it', () => {
    fc.assert(
      fc.property(fc.oneof(v1Header, v2Header), bytes(0, 64), ({ header, address, port }, rest) => {
        const result = parseProxyHeader(Buffer.concat([header, rest]));
        expect(result).toMatchObject({ kind: 'header', length: header.length, client: { address, port } });
        if (result.kind === 'header' && isIPv6(address)) expect(result.client?.family).toBe('IPv6');
        for (let cut = 0; cut < header.length; cut++)
          expect(parseProxyHeader(header.subarray(0, cut)).kind, `prefix of ${cut} bytes`).toBe('incomplete');
      }),
      params,
    );
  });
});
