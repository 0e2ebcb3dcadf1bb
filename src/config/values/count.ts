// The count value type: a whole number >= 0 (requests, megabytes), where 0 usually means "off".
import { defineValueType, ok, refuse } from '../value-type.ts';

export const countType = defineValueType<number>({
  expected: 'an integer >= 0',
  label: 'integer >= 0',
  json: {
    anyOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', pattern: '^[0-9]+$' },
    ],
  },
  parse(raw) {
    if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? ok(raw) : refuse();
    if (typeof raw !== 'string' || !/^\s*\d+\s*$/.test(raw)) return refuse();
    const count = Number(raw);
    return Number.isSafeInteger(count) ? ok(count) : refuse();
  },
});
