// Expands uWSGI-style magic in config file strings: %d (the file's directory, with a trailing slash), %p, %s, %n, %e, %c, %% and $(NAME).
import { basename, dirname, extname, sep } from 'node:path';

export interface ExpandContext {
  /** Absolute path of the config file. */
  path: string;
  env: Record<string, string | undefined>;
}

/** The %-variables, each computed from the config file's absolute path. Unknown %x sequences are left as written. */
const magic: Readonly<Record<string, (path: string) => string>> = {
  d: (path) => dirname(path) + (dirname(path).endsWith(sep) ? '' : sep),
  p: (path) => path,
  s: (path) => basename(path),
  n: (path) => basename(path, extname(path)),
  e: (path) => extname(path).slice(1),
  c: (path) => basename(dirname(path)),
  '%': () => '%',
};

/** Expands one string; `missing` lists $(NAME) variables that are not set (they expand to nothing). */
function expandString(text: string, context: ExpandContext): { text: string; missing: string[] } {
  const missing: string[] = [];
  const expanded = text.replace(
    /%(.)|\$\(([^)]*)\)/gs,
    (whole, letter: string | undefined, name: string | undefined) => {
      if (letter !== undefined) return magic[letter]?.(context.path) ?? whole;
      const value = context.env[name!];
      if (value === undefined) missing.push(name!);
      return value ?? '';
    },
  );
  return { text: expanded, missing };
}

/** Expands every string inside a value (lists and mappings included). */
export function expandValue(value: unknown, context: ExpandContext): { value: unknown; missing: string[] } {
  const missing: string[] = [];
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      const result = expandString(item, context);
      missing.push(...result.missing);
      return result.text;
    }
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object')
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    return item;
  };
  return { value: walk(value), missing };
}
