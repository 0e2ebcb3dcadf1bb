// Checks one source's raw settings against the table: maps aliases to keys, refuses unknown names and double-given settings, warns on ignored uWSGI options.
import type { Origin } from './origin.ts';
import { placeOf } from './origin.ts';
import { findSetting, settingList } from './schema.ts';
import type { Setting } from './setting.ts';
import { envName, flagName } from './setting.ts';
import type { RawSetting } from './sources.ts';
import { didYouMean } from './suggest.ts';
import { findIgnoredOption } from './uwsgi-ignored.ts';

/** A setting one source gives, under its canonical key; list settings always hold an array here. */
export interface Entry {
  setting: Setting;
  written: string;
  value: unknown;
  origin: Origin;
}

export interface Layer {
  entries: Map<string, Entry>;
  errors: string[];
  warnings: string[];
}

const allNames = settingList.flatMap((setting) => [setting.key, ...setting.aliases]);

/** How a name is shown for its source: "workers", CORRAL_WORKERS or --workers. */
function shownName(origin: Origin, name: string): string {
  if (origin.kind === 'env') return envName(name);
  if (origin.kind === 'cli') return `"${flagName(name)}"`;
  return `"${name}"`;
}

/** A list value as items: a single value is a one-item list; a mapping (YAML/JSON) gives NAME=VALUE items where the setting allows. */
function toItems(value: unknown, setting: Setting): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && setting.mapping) {
    return Object.entries(value).map(([name, inner]) =>
      typeof inner === 'string' || typeof inner === 'number' || typeof inner === 'boolean'
        ? `${name}=${String(inner)}`
        : inner,
    );
  }
  return [value];
}

function unknownOptionMessage(origin: Origin, name: string): string {
  if (origin.kind === 'cli')
    return `unknown option "${flagName(name)}"${didYouMean(name, allNames, (match) => `"${flagName(match)}"`)}`;
  return `${placeOf(origin)}: unknown option "${name}"${didYouMean(name, allNames)}`;
}

export function collectLayer(raws: readonly RawSetting[]): Layer {
  const layer: Layer = { entries: new Map(), errors: [], warnings: [] };
  for (const raw of raws) {
    const setting = findSetting(raw.written);
    if (setting === undefined) {
      const ignored = findIgnoredOption(raw.written);
      if (ignored !== undefined)
        layer.warnings.push(`${placeOf(raw.origin)}: ignoring "${raw.written}": ${ignored.reason}`);
      else layer.errors.push(unknownOptionMessage(raw.origin, raw.written));
      continue;
    }
    const earlier = layer.entries.get(setting.key);
    if (earlier !== undefined) {
      const earlierLine =
        earlier.origin.kind === 'file' && earlier.origin.line !== undefined ? ` (line ${earlier.origin.line})` : '';
      layer.errors.push(
        `${placeOf(raw.origin)}: ${shownName(raw.origin, raw.written)} and ${shownName(earlier.origin, earlier.written)}${earlierLine} are the same setting; give only one`,
      );
      continue;
    }
    if (raw.repeated && !setting.list) {
      const lines = raw.origin.kind === 'file' ? ` (lines ${(raw.origin.itemLines ?? []).join(', ')})` : '';
      const lists = settingList
        .filter((item) => item.list)
        .map((item) => item.key)
        .join(', ');
      layer.errors.push(
        `${placeOf(raw.origin)}: ${raw.written}: given ${(raw.value as unknown[]).length} times${lines}; only list settings (${lists}) can repeat`,
      );
      continue;
    }
    layer.entries.set(setting.key, {
      setting,
      written: raw.written,
      value: setting.list ? toItems(raw.value, setting) : raw.value,
      origin: raw.origin,
    });
  }
  return layer;
}
