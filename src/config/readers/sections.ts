// Turns a YAML/JSON document's top-level entries into settings: read flat, or from a nested corral:/uwsgi: mapping as uWSGI files do.
import type { ReadResultBuilder } from './read-result.ts';

/** One key of a mapping, with where it was written. */
export interface MappingEntry {
  key: string;
  value: unknown;
  line: number | undefined;
  /** Line of each item when the value is a list or a mapping. */
  itemLines: (number | undefined)[] | undefined;
  /** The value's own entries when it is a mapping (only needed one level down). */
  children: MappingEntry[] | undefined;
}

const sectionKeys = new Set(['corral', 'uwsgi']);

export function addTopLevel(entries: MappingEntry[], out: ReadResultBuilder): void {
  if (!entries.some((entry) => sectionKeys.has(entry.key))) {
    for (const entry of entries) out.add(entry.key, entry.value, entry.line, entry.itemLines);
    return;
  }
  for (const entry of entries) {
    if (!sectionKeys.has(entry.key)) {
      out.warn(
        entry.line,
        `ignoring top-level "${entry.key}": settings are read from the "corral" and "uwsgi" mappings`,
      );
    } else if (entry.children !== undefined) {
      for (const child of entry.children) out.add(child.key, child.value, child.line, child.itemLines);
    } else if (entry.value !== null && entry.value !== undefined) {
      out.error(entry.line, `${entry.key}: expected a mapping of settings`);
    }
  }
}
