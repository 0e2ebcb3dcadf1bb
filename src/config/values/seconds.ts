// The duration value type: a number of seconds greater than zero (fractions allowed).
import { defineValueType, ok, refuse } from '../value-type.ts';

export const secondsType = defineValueType<number>({
  expected: 'a number of seconds > 0',
  label: 'number > 0 (seconds)',
  json: {
    anyOf: [
      { type: 'number', exclusiveMinimum: 0 },
      { type: 'string', pattern: '^[0-9]*\\.?[0-9]+$' },
    ],
  },
  parse(raw) {
    let seconds: number;
    if (typeof raw === 'number') seconds = raw;
    else if (typeof raw === 'string' && /^\s*(\d+\.?\d*|\.\d+)\s*$/.test(raw)) seconds = Number(raw);
    else return refuse();
    return Number.isFinite(seconds) && seconds > 0 ? ok(seconds) : refuse();
  },
});
