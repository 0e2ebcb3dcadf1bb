// The static-map value type: "/PREFIX=DIR", with the prefix normalized (one leading "/", no trailing "/" unless it is "/").
import { defineValueType, ok, refuse } from '../value-type.ts';
import { describeInput } from '../describe-input.ts';

/** A static mount before resolution: `dir` is still as written. */
export interface MountSpec {
  prefix: string;
  dir: string;
}

const expected = '"/PREFIX=DIR"';

export function normalizePrefix(prefix: string): string {
  const collapsed = prefix.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, '') : collapsed;
}

export const staticMountType = defineValueType<MountSpec>({
  expected,
  label: '/PREFIX=DIR',
  json: { type: 'string', pattern: '^/[^=]*=.+$' },
  parse(raw) {
    if (typeof raw !== 'string') return refuse();
    const at = raw.indexOf('=');
    if (at < 0) return refuse();
    const prefix = raw.slice(0, at).trim();
    const dir = raw.slice(at + 1).trim();
    const got = describeInput(raw);
    if (!prefix.startsWith('/')) return refuse(`expected ${expected}, got ${got}: the prefix must start with "/"`);
    if (dir === '') return refuse(`expected ${expected}, got ${got}: the directory is missing`);
    return ok({ prefix: normalizePrefix(prefix), dir });
  },
});
