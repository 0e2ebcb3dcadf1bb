// The `framework` value type: "auto", "none", or the name of a framework whose build corral recognises.
import { FRAMEWORK_NAMES, type FrameworkName } from '../../frameworks/types.ts';
import { defineValueType, ok, refuse } from '../value-type.ts';

export type FrameworkChoice = FrameworkName | 'auto' | 'none';

const choices: readonly string[] = ['auto', 'none', ...FRAMEWORK_NAMES];

export const frameworkType = defineValueType<FrameworkChoice>({
  expected: `one of ${choices.map((choice) => `"${choice}"`).join(', ')}`,
  label: choices.join(' | '),
  json: { enum: choices },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const text = raw.trim().toLowerCase();
    return choices.includes(text) ? ok(text as FrameworkChoice) : refuse();
  },
});
