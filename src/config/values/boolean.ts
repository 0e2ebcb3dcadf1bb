// The boolean value type: real booleans, 0/1, and the words true/false, yes/no, on/off, 1/0 in any case.
import { defineValueType, ok, refuse } from '../value-type.ts';

const words: Readonly<Record<string, boolean>> = {
  true: true,
  yes: true,
  on: true,
  '1': true,
  false: false,
  no: false,
  off: false,
  '0': false,
};

export const booleanType = defineValueType<boolean>({
  expected: 'true/false, yes/no, on/off or 1/0',
  label: 'boolean',
  json: { anyOf: [{ type: 'boolean' }, { enum: [0, 1, ...Object.keys(words)] }] },
  parse(raw) {
    if (typeof raw === 'boolean') return ok(raw);
    if (raw === 0 || raw === 1) return ok(raw === 1);
    if (typeof raw === 'string') {
      const value = words[raw.trim().toLowerCase()];
      if (value !== undefined) return ok(value);
    }
    return refuse();
  },
});
