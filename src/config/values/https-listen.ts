// The https value type, uWSGI's form: "ADDR,CERT,KEY" serves TLS with those files; "ADDR" alone serves the certificate corral obtains over ACME.
import { describeInput } from '../describe-input.ts';
import type { ListenAddress } from '../types.ts';
import { defineValueType, ok, refuse } from '../value-type.ts';
import { parseListenAddress } from './listen-address.ts';

/** One `https` entry before resolution: `cert` and `key` are still as written; both absent means ACME. */
export interface HttpsSpec {
  address: ListenAddress;
  cert?: string;
  key?: string;
}

const expected =
  '"ADDRESS,CERT,KEY" (such as ":443,/etc/corral/cert.pem,/etc/corral/key.pem"), or "ADDRESS" alone for an ACME certificate';

export const httpsListenType = defineValueType<HttpsSpec>({
  expected,
  label: 'ADDRESS[,CERT,KEY]',
  json: {
    anyOf: [
      { type: 'integer', minimum: 0, maximum: 65535 },
      { type: 'string', minLength: 1 },
    ],
    examples: [':443,/etc/corral/cert.pem,/etc/corral/key.pem', ':443'],
  },
  parse(raw) {
    if (typeof raw === 'number') {
      const address = parseListenAddress(raw);
      return address.ok ? ok({ address: address.value }) : refuse();
    }
    if (typeof raw !== 'string') return refuse();
    const parts = raw.split(',').map((part) => part.trim());
    const address = parseListenAddress(parts[0]);
    if (!address.ok)
      return refuse(
        address.message ?? `expected ${expected}, got ${describeInput(raw)}: "${parts[0]}" is not an address`,
      );
    if (parts.length === 1) return ok({ address: address.value });
    const [, cert, key] = parts;
    if (parts.length !== 3 || cert === '' || key === '' || cert === undefined || key === undefined) {
      return refuse(
        `expected ${expected}, got ${describeInput(raw)}: give both the certificate and the key file, after the address`,
      );
    }
    return ok({ address: address.value, cert, key });
  },
});
