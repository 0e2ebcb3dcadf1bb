// The config packed with the app: the user's config file as written, with the packed paths rewritten to their places under CORRAL_PACK_DIR/.corral.
import path from 'node:path';
import type { Config } from '../config/types.ts';
import { findSetting } from '../config/schema.ts';
import { filePathType } from '../config/values/file-path.ts';
import { directoryPathType } from '../config/values/path.ts';
import { ConfigError } from '../errors/corral-error.ts';

/**
 * Where the packed paths point: absolute once the config reader expands $(CORRAL_PACK_DIR) (set by src/pack/unpack.ts
 * before the config is loaded), so neither `chdir` nor the config's own directory moves them.
 */
const OWN = '$(CORRAL_PACK_DIR)/.corral';

/** Keys whose paths are packed: rewritten here, never resolved at run time. */
const PACKED_KEYS = new Set(['module', 'static-map', 'check-static', 'static-fallback', 'static-safe']);

export interface PackedConfig {
  /** The config file's text (JSON, canonical keys). */
  readonly text: string;
  /** Keys of path settings that stay outside: relative ones resolve against the working directory at run time. */
  readonly cwdPaths: string[];
}

/**
 * `written`: the config file's settings as read (keys as written); `config`: the same file loaded, for resolved paths.
 * Static directories are numbered static-map first, then check-static (the manifest's order).
 */
export function packedConfig(written: Record<string, unknown>, config: Config): PackedConfig {
  if (config.module === undefined)
    throw new ConfigError('corral pack: the config has no `module`: there is no app to pack', 'CORRAL_PACK');
  if (config.module.glue !== undefined)
    throw new ConfigError(
      `corral pack: the app is a ${config.module.glue} build loaded through corral's glue, which cannot be packed yet; ` +
        'pack a plain Node module (`module`) instead',
      'CORRAL_PACK',
    );
  const out: Record<string, unknown> = {};
  const cwdPaths: string[] = [];
  for (const [key, value] of Object.entries(written)) {
    const setting = findSetting(key);
    const canonical = setting?.key ?? key;
    if (PACKED_KEYS.has(canonical)) continue;
    out[canonical] = escapeMagic(value);
    if (setting?.type === filePathType || setting?.type === directoryPathType) cwdPaths.push(canonical);
  }
  const { exportName } = config.module;
  out.module = exportName === undefined ? `${OWN}/app.cjs` : `${OWN}/app.cjs:${exportName}`;
  if (config.staticMap.length > 0)
    out['static-map'] = config.staticMap.map((mount, index) => `${escapeMagic(mount.prefix)}=${OWN}/static/${index}`);
  if (config.checkStatic.length > 0)
    out['check-static'] = config.checkStatic.map((_, index) => `${OWN}/static/${config.staticMap.length + index}`);
  if (config.staticFallback.length > 0)
    out['static-fallback'] = config.staticFallback.map(
      (rule, index) => `${escapeMagic(rule.prefix)}=${OWN}/fallback/${index}/${escapeMagic(path.basename(rule.file))}`,
    );
  return { text: `${JSON.stringify(out, null, 2)}\n`, cwdPaths };
}

/** The reader expands %x and $(NAME) when the packed file is read: values were expanded once already. */
function escapeMagic<T>(value: T): T;
function escapeMagic(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('%', '%%');
  if (Array.isArray(value)) return value.map(escapeMagic);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeMagic(item)]));
  return value;
}
