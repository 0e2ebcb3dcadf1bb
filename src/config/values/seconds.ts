// The duration value types: a number of seconds greater than zero, or zero or more where 0 means none (fractions allowed).
import { defineValueType, ok, refuse, type ValueType } from '../value-type.ts';

/** Seconds as a number or a decimal string, kept when `allowed` says so. */
function boundedSeconds(
  bound: { expected: string; label: string; json: Record<string, number> },
  allowed: (s: number) => boolean,
): ValueType<number> {
  return defineValueType<number>({
    expected: bound.expected,
    label: bound.label,
    json: {
      anyOf: [
        { type: 'number', ...bound.json },
        { type: 'string', pattern: '^[0-9]*\\.?[0-9]+$' },
      ],
    },
    parse(raw) {
      let seconds: number;
      if (typeof raw === 'number') seconds = raw;
      else if (typeof raw === 'string' && /^\s*(\d+\.?\d*|\.\d+)\s*$/.test(raw)) seconds = Number(raw);
      else return refuse();
      return Number.isFinite(seconds) && allowed(seconds) ? ok(seconds) : refuse();
    },
  });
}

/** A number of seconds > 0 (fractions allowed). */
export const secondsType = boundedSeconds(
  { expected: 'a number of seconds > 0', label: 'number > 0 (seconds)', json: { exclusiveMinimum: 0 } },
  (seconds) => seconds > 0,
);

/** A number of seconds >= 0 (fractions allowed), where 0 means "none" (`shutdown-delay`). */
export const secondsOrZeroType = boundedSeconds(
  { expected: 'a number of seconds >= 0', label: 'number >= 0 (seconds)', json: { minimum: 0 } },
  (seconds) => seconds >= 0,
);
