// The ACME value types: a domain name to get a certificate for, a contact e-mail, and the ACME directory (a known name or an https URL).
import { describeInput } from '../describe-input.ts';
import { defineValueType, ok, refuse } from '../value-type.ts';

const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const domainNameType = defineValueType<string>({
  expected: 'a domain name such as "example.com" (no wildcard, no port)',
  label: 'domain',
  json: { type: 'string', pattern: '^[A-Za-z0-9.-]+$' },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const name = raw.trim().toLowerCase().replace(/\.$/, '');
    if (name.startsWith('*.')) {
      return refuse(
        `${describeInput(raw)}: wildcard names need the DNS-01 challenge, which corral does not answer; list each name`,
      );
    }
    const labels = name.split('.');
    if (name.length > 253 || !labels.every((part) => label.test(part))) return refuse();
    return ok(name);
  },
});

export const emailType = defineValueType<string>({
  expected: 'an e-mail address',
  label: 'e-mail',
  json: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const text = raw.trim();
    return /^[^@\s]+@[^@\s]+$/.test(text) ? ok(text) : refuse();
  },
});

/**
 * The names `acme-directory` knows. They stay names in the config; the ACME client maps them to URLs with acme-client's
 * own table (src/acme/directory.ts), so that loading the config never loads the ACME client.
 */
const ACME_DIRECTORY_NAMES: readonly string[] = ['letsencrypt', 'letsencrypt-staging'];

export const acmeDirectoryType = defineValueType<string>({
  expected: `${ACME_DIRECTORY_NAMES.map((name) => `"${name}"`).join(' or ')}, or the https URL of an ACME directory`,
  label: '"letsencrypt" | "letsencrypt-staging" | URL',
  json: { anyOf: [{ enum: [...ACME_DIRECTORY_NAMES] }, { type: 'string', pattern: '^https://' }] },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const text = raw.trim();
    if (ACME_DIRECTORY_NAMES.includes(text.toLowerCase())) return ok(text.toLowerCase());
    return /^https:\/\/[^\s/]+/.test(text) ? ok(text) : refuse();
  },
});
