// The URL-path value type: an absolute path a request line can carry as it is (`/healthz`), with no query or fragment.
import { defineValueType, ok, refuse } from '../value-type.ts';

export const urlPathType = defineValueType<string>({
  expected: 'a URL path starting with "/" (such as /healthz), without spaces, "?" or "#"',
  label: 'URL path',
  json: { type: 'string', pattern: '^/[^\\s?#]*$' },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const path = raw.trim();
    return /^\/[^\s?#]*$/.test(path) ? ok(path) : refuse();
  },
});
