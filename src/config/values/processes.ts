// The worker-count value type: an integer >= 1, or "auto" (one per CPU, resolved later).
import { defineValueType, ok, refuse } from '../value-type.ts';

export const processCountType = defineValueType<number | 'auto'>({
  expected: 'an integer >= 1 or "auto"',
  label: 'integer >= 1 | "auto"',
  json: { anyOf: [{ type: 'integer', minimum: 1 }, { const: 'auto' }, { type: 'string', pattern: '^[0-9]+$' }] },
  parse(raw) {
    if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 1 ? ok(raw) : refuse();
    if (typeof raw !== 'string') return refuse();
    const text = raw.trim();
    if (text.toLowerCase() === 'auto') return ok('auto');
    if (!/^\d+$/.test(text)) return refuse();
    const count = Number(text);
    return count >= 1 && Number.isSafeInteger(count) ? ok(count) : refuse();
  },
});
