// The "/PREFIX=PATH" shape that static-map and static-fallback share: a URL prefix, "=", then a path on disk.
import { describeInput } from '../describe-input.ts';
import { defineValueType, ok, refuse, type ValueType } from '../value-type.ts';

/** One leading "/", no repeated "/", no trailing "/" unless the prefix is "/". */
function normalizePrefix(prefix: string): string {
  const collapsed = prefix.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, '') : collapsed;
}

/**
 * A value type for "/PREFIX=PATH" whose path part is called `pathName` in its messages ("DIR", "FILE"); `build`
 * names the fields of the parsed value.
 */
export function prefixPairType<T>(
  pathName: string,
  pathWord: string,
  build: (prefix: string, path: string) => T,
): ValueType<T> {
  const expected = `"/PREFIX=${pathName}"`;
  return defineValueType<T>({
    expected,
    label: `/PREFIX=${pathName}`,
    json: { type: 'string', pattern: '^/[^=]*=.+$' },
    parse(raw) {
      if (typeof raw !== 'string') return refuse();
      const at = raw.indexOf('=');
      if (at < 0) return refuse();
      const prefix = raw.slice(0, at).trim();
      const path = raw.slice(at + 1).trim();
      const got = describeInput(raw);
      if (!prefix.startsWith('/')) return refuse(`expected ${expected}, got ${got}: the prefix must start with "/"`);
      if (path === '') return refuse(`expected ${expected}, got ${got}: the ${pathWord} is missing`);
      return ok(build(normalizePrefix(prefix), path));
    },
  });
}
