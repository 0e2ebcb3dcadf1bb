// The forwarded-allow-ips value type: what it accepts and how it refuses.
import { describe, expect, it } from 'vitest';
import { isTrustedAddress, trustedAddressesType } from './trusted-addresses.ts';

describe('trusted addresses', () => {
  it('accepts "*", addresses and CIDR ranges, separated by commas or spaces', () => {
    expect(trustedAddressesType.schema.parse('127.0.0.1, ::1 10.0.0.0/8,fd00::/8')).toEqual([
      '127.0.0.1',
      '::1',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    expect(trustedAddressesType.schema.parse('*')).toEqual(['*']);
  });

  it('refuses names, bad prefix lengths and empty values, naming the bad entry', () => {
    for (const bad of ['localhost', '10.0.0.0/33', '::1/129', '10.0.0.1/', '10.0.0/8', ''])
      expect(isTrustedAddress(bad) && bad !== '').toBe(false);
    const result = trustedAddressesType.schema.safeParse('127.0.0.1,proxy.local');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('"proxy.local" is no IP address');
    expect(trustedAddressesType.schema.safeParse(' , ').success).toBe(false);
    expect(trustedAddressesType.schema.safeParse(7).success).toBe(false);
  });
});
