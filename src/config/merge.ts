// Applies precedence: for each setting the highest source that gives it wins (defaults < config file < env vars < CLI).
import type { Entry, Layer } from './collect.ts';
import { settingList } from './schema.ts';

/** `layers` lowest first. Settings no source gives get their default (if they have one), with a 'default' origin. */
export function mergeLayers(layers: readonly Layer[]): Map<string, Entry> {
  const merged = new Map<string, Entry>();
  for (const setting of settingList) {
    let given: Entry | undefined;
    for (const layer of layers) given = layer.entries.get(setting.key) ?? given;
    if (given !== undefined) merged.set(setting.key, given);
    else if (setting.default !== undefined)
      merged.set(setting.key, { setting, written: setting.key, value: setting.default, origin: { kind: 'default' } });
  }
  return merged;
}
