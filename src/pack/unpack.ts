// At the start of a packed executable: writes the config, the app bundle, the fallback pages and the --include files to a private temporary directory (CORRAL_PACK_DIR), removed at exit.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_KEY, CONFIG_KEY, fallbackKey, includeKey, OWN_DIR, type PackManifest } from './manifest.ts';
import { rawAsset, runningSea } from './sea-assets.ts';

export interface Unpacked {
  /** CORRAL_PACK_DIR: the project's root as packed (the --include files at their places), corral's own files in .corral/. */
  readonly dir: string;
  /** The packed config, to load as a config file. */
  readonly configFile: string;
}

let unpacked: Unpacked | undefined;

/**
 * Unpacks once per process (the master or the single process; cluster workers find the directory in CORRAL_PACK_DIR,
 * which they inherit). The directory is the process's own (mode 0700) and is removed when it exits; a process killed
 * with SIGKILL leaves it in the temporary directory.
 */
export function unpack(manifest: PackManifest): Unpacked {
  if (unpacked !== undefined) return unpacked;
  const sea = runningSea();
  if (sea === undefined) throw new Error('corral: a pack manifest outside a single executable');
  const asset = (key: string): Buffer => {
    const bytes = rawAsset(sea, key);
    if (bytes === undefined) throw new Error(`corral: the packed executable lacks its asset ${key}`);
    return bytes;
  };
  const dir = mkdtempSync(path.join(realpathSync(os.tmpdir()), 'corral-pack-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const own = path.join(dir, OWN_DIR);
  const write = (file: string, bytes: Buffer | string): void => {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, bytes, { mode: 0o600 });
  };
  const configFile = path.join(own, 'corral.json');
  write(configFile, withCwdPaths(asset(CONFIG_KEY).toString('utf8'), manifest.cwdPaths));
  write(path.join(own, 'app.cjs'), asset(APP_KEY));
  // The static directories are served from the executable (packed-files.ts); they exist so the config checks pass.
  for (let index = 0; index < manifest.static.length; index++)
    mkdirSync(path.join(own, 'static', String(index)), { recursive: true });
  for (const [index, name] of manifest.fallbacks.entries())
    write(path.join(own, 'fallback', String(index), name), asset(fallbackKey(index)));
  for (const file of manifest.includes) write(path.join(dir, ...file.path.split('/')), asset(includeKey(file.path)));
  process.env.CORRAL_PACK_DIR = dir;
  unpacked = { dir, configFile };
  return unpacked;
}

/** The packed config with each relative path of `keys` made absolute from the working directory. */
function withCwdPaths(text: string, keys: readonly string[]): string {
  if (keys.length === 0) return text;
  const values = JSON.parse(text) as Record<string, unknown>;
  const fromCwd = (value: unknown): unknown =>
    typeof value === 'string' && value !== '' && !path.isAbsolute(value)
      ? path.resolve(process.cwd(), value).replaceAll('%', '%%')
      : value;
  for (const key of keys) {
    const value = values[key];
    values[key] = Array.isArray(value) ? value.map(fromCwd) : fromCwd(value);
  }
  return JSON.stringify(values, null, 2);
}
