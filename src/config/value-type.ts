// How a setting's value type is made: one parse function wrapped as a zod schema, plus what to tell users and editors about it.
import * as z from 'zod/mini';
import { describeInput } from './describe-input.ts';

/** A JSON Schema fragment, as written into schema/corral.schema.json. */
export type JsonSchema = { [key: string]: unknown };

/** The result of parsing one raw value: the typed value, or why it was refused (default: "expected …, got …"). */
export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; message?: string };

export interface ValueType<T> {
  /** What the user may write, in words, used in "expected …" messages, e.g. `an integer >= 1 or "auto"`. */
  expected: string;
  /** Short type name for docs tables, e.g. `integer >= 1 | "auto"`. */
  label: string;
  /** What editors are told about one value (for list settings: about one item). */
  json: JsonSchema;
  /** Validates and coerces one raw value from any source: YAML/JSON give typed values, INI, env and CLI give strings. */
  schema: z.ZodMiniType<T>;
}

export function defineValueType<T>(spec: {
  expected: string;
  label: string;
  json: JsonSchema;
  parse: (raw: unknown) => ParseOutcome<T>;
}): ValueType<T> {
  const schema = z.pipe(
    z.unknown(),
    z.transform((raw, ctx): T => {
      const outcome = spec.parse(raw);
      if (outcome.ok) return outcome.value;
      ctx.issues.push({
        code: 'custom',
        message: outcome.message ?? `expected ${spec.expected}, got ${describeInput(raw)}`,
        input: raw,
      });
      return z.NEVER;
    }),
  );
  return { expected: spec.expected, label: spec.label, json: spec.json, schema };
}

export const ok = <T>(value: T): ParseOutcome<T> => ({ ok: true, value });
export const refuse = <T>(message?: string): ParseOutcome<T> =>
  message === undefined ? { ok: false } : { ok: false, message };
