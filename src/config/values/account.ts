// The account value type: a user or group, as a name ("www-data") or a numeric id ("33"); names are looked up when the config is resolved.
import { defineValueType, ok, refuse } from '../value-type.ts';

export const accountType = defineValueType<string | number>({
  expected: 'a name or a numeric id',
  label: 'name | integer >= 0',
  json: {
    anyOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', minLength: 1 },
    ],
  },
  parse(raw) {
    if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? ok(raw) : refuse();
    if (typeof raw !== 'string' || raw.trim() === '') return refuse();
    const text = raw.trim();
    return ok(/^\d+$/.test(text) ? Number(text) : text);
  },
});
