// The trusted-addresses value type: "*", or IP addresses and CIDR ranges separated by commas ("127.0.0.1,10.0.0.0/8,::1").
import { isIP } from 'node:net';
import { defineValueType, ok, refuse } from '../value-type.ts';

/** One address or range is valid: `*`, an IPv4/IPv6 address, or one with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
export function isTrustedAddress(entry: string): boolean {
  if (entry === '*') return true;
  const slash = entry.indexOf('/');
  if (slash < 0) return isIP(entry) !== 0;
  const family = isIP(entry.slice(0, slash));
  const bits = entry.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

export const trustedAddressesType = defineValueType<string[]>({
  expected: '"*" or IP addresses / CIDR ranges separated by commas (such as "127.0.0.1,10.0.0.0/8")',
  label: '"*" | IP[/BITS],...',
  json: { type: 'string', pattern: '^[0-9A-Fa-f:.,/* ]+$' },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const entries = raw.split(/[\s,]+/).filter((entry) => entry !== '');
    if (entries.length === 0) return refuse();
    const bad = entries.find((entry) => !isTrustedAddress(entry));
    if (bad !== undefined)
      return refuse(`"${bad}" is no IP address, CIDR range or "*" (write e.g. 10.0.0.5, 10.0.0.0/8, ::1 or *)`);
    return ok(entries);
  },
});
