// The file path value type: a non-empty path to a file (which may not exist yet), kept as written until resolution makes it absolute.
import { defineValueType, ok, refuse } from '../value-type.ts';

export const filePathType = defineValueType<string>({
  expected: 'a file path',
  label: 'file path',
  json: { type: 'string', minLength: 1 },
  parse(raw) {
    return typeof raw === 'string' && raw.trim() !== '' ? ok(raw.trim()) : refuse();
  },
});
