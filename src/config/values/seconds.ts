// The duration value types: a number of seconds greater than zero, or zero or more where 0 means none (fractions allowed).
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

/** A number of seconds >= 0 (fractions allowed), where 0 means "none" (`shutdown-delay`). */
export const secondsOrZeroType = defineValueType<number>({
  expected: 'a number of seconds >= 0',
  label: 'number >= 0 (seconds)',
  json: {
    anyOf: [
      { type: 'number', minimum: 0 },
      { type: 'string', pattern: '^[0-9]*\\.?[0-9]+$' },
    ],
  },
  parse(raw) {
    let seconds: number;
    if (typeof raw === 'number') seconds = raw;
    else if (typeof raw === 'string' && /^\s*(\d+\.?\d*|\.\d+)\s*$/.test(raw)) seconds = Number(raw);
    else return refuse();
    return Number.isFinite(seconds) && seconds >= 0 ? ok(seconds) : refuse();
  },
});
