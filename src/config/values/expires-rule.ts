// The static-expires value type (uWSGI's): "REGEX SECONDS", a pattern tested against a served file's path and a max-age for it.
import { defineValueType, ok, refuse } from '../value-type.ts';
import { describeInput } from '../describe-input.ts';

/** One rule: files whose absolute path matches `pattern` get `Cache-Control: max-age=seconds` and an Expires header. */
export interface ExpiresRule {
  pattern: string;
  seconds: number;
}

const expected = '"REGEX SECONDS"';

export const expiresRuleType = defineValueType<ExpiresRule>({
  expected,
  label: 'REGEX SECONDS',
  json: { type: 'string', pattern: '^.*\\S\\s+[0-9]+\\s*$' },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const match = /^\s*(.*\S)\s+(\d+)\s*$/.exec(raw);
    if (match === null)
      return refuse(`expected ${expected}, got ${describeInput(raw)}: a pattern, a space, then whole seconds`);
    const pattern = match[1]!;
    try {
      new RegExp(pattern);
    } catch (error) {
      return refuse(`expected ${expected}, got ${describeInput(raw)}: ${(error as Error).message}`);
    }
    return ok({ pattern, seconds: Number(match[2]) });
  },
});
