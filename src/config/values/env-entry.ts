// The environment entry value type: "NAME=VALUE", split into a name and a value (which may be empty or hold "=").
import { defineValueType, ok, refuse } from '../value-type.ts';

const namePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const envEntryType = defineValueType<[name: string, value: string]>({
  expected: '"NAME=VALUE" (NAME made of letters, digits and _)',
  label: 'NAME=VALUE',
  json: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*=' },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const at = raw.indexOf('=');
    if (at < 0) return refuse();
    const name = raw.slice(0, at).trim();
    return namePattern.test(name) ? ok([name, raw.slice(at + 1)]) : refuse();
  },
});
