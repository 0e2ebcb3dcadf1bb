// The file-name value type: one plain name inside a directory (no "/" or "\", not "." or ".."), such as index.html.
import { defineValueType, ok, refuse } from '../value-type.ts';

export const fileNameType = defineValueType<string>({
  expected: 'a file name without "/" (such as index.html)',
  label: 'file name',
  json: { type: 'string', pattern: '^[^/\\\\]+$' },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const name = raw.trim();
    if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) return refuse();
    return ok(name);
  },
});
