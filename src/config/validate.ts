// Validates merged settings with the strict object schema and words each problem with where its value came from.
import type { Entry } from './collect.ts';
import { messagePrefix, orderOf } from './origin.ts';
import { settingsObjectSchema, type SettingValues } from './schema.ts';

export type Validated = { ok: true; values: SettingValues } | { ok: false; errors: string[] };

export function validateEntries(entries: ReadonlyMap<string, Entry>): Validated {
  const raw: Record<string, unknown> = {};
  for (const [key, entry] of entries) raw[key] = entry.value;
  const result = settingsObjectSchema.safeParse(raw);
  if (result.success) return { ok: true, values: result.data };
  const problems = result.error.issues.map((issue) => {
    const [key, item] = issue.path;
    const entry = entries.get(String(key));
    if (entry === undefined) return { order: 0, message: `${String(key)}: ${issue.message}` };
    const index = typeof item === 'number' ? item : undefined;
    return {
      order: orderOf(entry.origin, index),
      message: `${messagePrefix(entry.origin, entry.written, index)}${issue.message}`,
    };
  });
  problems.sort((a, b) => a.order - b.order);
  return { ok: false, errors: problems.map((problem) => problem.message) };
}
