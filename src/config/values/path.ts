// The path value type: a non-empty file or directory path, kept as written until resolution makes it absolute.
import { defineValueType, ok, refuse } from '../value-type.ts';

export const directoryPathType = defineValueType<string>({
  expected: 'a directory path',
  label: 'directory path',
  json: { type: 'string', minLength: 1 },
  parse(raw) {
    return typeof raw === 'string' && raw.trim() !== '' ? ok(raw.trim()) : refuse();
  },
});
