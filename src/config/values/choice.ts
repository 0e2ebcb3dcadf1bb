// A value type for a setting that takes one word out of a fixed list (framework, log-format, scheduling-policy).
import { defineValueType, ok, refuse, type ValueType } from '../value-type.ts';

/** One of `choices`, matched without regard to case or surrounding blanks. */
export function choiceType<T extends string>(choices: readonly T[]): ValueType<T> {
  return defineValueType<T>({
    expected: `one of ${choices.map((choice) => `"${choice}"`).join(', ')}`,
    label: choices.join(' | '),
    json: { enum: [...choices] },
    parse(raw) {
      if (typeof raw !== 'string') return refuse();
      const text = raw.trim().toLowerCase();
      return (choices as readonly string[]).includes(text) ? ok(text as T) : refuse();
    },
  });
}
