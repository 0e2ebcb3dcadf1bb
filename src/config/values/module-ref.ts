// The module value type: "path/to/app.js" or "path/to/app.js:exportName", split on the last ":" only when an identifier follows.
import { defineValueType, ok, refuse } from '../value-type.ts';
import type { ModuleRef } from '../types.ts';

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Splits "file:export"; a ":" followed by anything but a JS identifier stays part of the path (e.g. "C:\app.js", "./a:b/c.js"). */
export function splitModuleRef(text: string): ModuleRef {
  const at = text.lastIndexOf(':');
  if (at > 0 && identifier.test(text.slice(at + 1))) return { file: text.slice(0, at), exportName: text.slice(at + 1) };
  return { file: text, exportName: undefined };
}

export const moduleRefType = defineValueType<ModuleRef>({
  expected: 'a module path like "app.js" or "app.js:handler"',
  label: 'path[:export]',
  json: { type: 'string', minLength: 1 },
  parse(raw) {
    if (typeof raw !== 'string' || raw.trim() === '') return refuse();
    return ok(splitModuleRef(raw.trim()));
  },
});
