// Resolves the settings of the master's process management (pidfile, recycling, harakiri, reload triggers, uid/gid) into Config fields.
import { resolve } from 'node:path';
import { resolveAccounts } from './accounts.ts';
import { directoryProblem } from './paths.ts';
import type { SettingValues } from './schema.ts';
import type { Config } from './types.ts';

type LifecycleFields = Pick<
  Config,
  | 'pidfile'
  | 'maxRequests'
  | 'maxRequestsDelta'
  | 'reloadOnRss'
  | 'maxWorkerLifetime'
  | 'harakiri'
  | 'touchReload'
  | 'watch'
  | 'uid'
  | 'gid'
>;

/** Settings that only a master acts on. */
const MASTER_ONLY = [
  'pidfile',
  'max-requests',
  'reload-on-rss',
  'max-worker-lifetime',
  'touch-reload',
  'watch',
  'uid',
  'gid',
] as const;

function isSet(value: unknown): boolean {
  return value !== undefined && value !== 0 && !(Array.isArray(value) && value.length === 0);
}

/**
 * Paths resolve against `base`; a `watch` directory must exist (its problem goes to `errors`, prefixed by `where`).
 * Settings left at "off" (0, none, an empty list) stay absent, so a config without them reads as before. With
 * `master = false` the settings only a master acts on are named in `warnings`.
 */
export function resolveLifecycle(
  values: SettingValues,
  base: string,
  where: (key: 'watch' | 'uid' | 'gid', item?: number) => string,
  errors: string[],
  warnings: string[],
): LifecycleFields {
  const ignored = values.master ? [] : MASTER_ONLY.filter((key) => isSet(values[key]));
  if (ignored.length > 0)
    warnings.push(`${ignored.join(', ')}: ignored because master is false (only a master acts on them)`);
  const fields: LifecycleFields = {};
  if (values.pidfile !== undefined) fields.pidfile = resolve(base, values.pidfile);
  if (values['max-requests'] > 0) {
    fields.maxRequests = values['max-requests'];
    fields.maxRequestsDelta = values['max-requests-delta'];
  }
  if (values['reload-on-rss'] > 0) fields.reloadOnRss = values['reload-on-rss'];
  if (values['max-worker-lifetime'] !== undefined) fields.maxWorkerLifetime = values['max-worker-lifetime'];
  if (values.harakiri !== undefined) fields.harakiri = values.harakiri;
  if (values['touch-reload'].length > 0) fields.touchReload = values['touch-reload'].map((file) => resolve(base, file));
  if (values.watch.length > 0) {
    fields.watch = values.watch.map((dir, index) => {
      const absolute = resolve(base, dir);
      const problem = directoryProblem(absolute);
      if (problem !== undefined) errors.push(`${where('watch', index)}${problem}`);
      return absolute;
    });
  }
  return { ...fields, ...resolveAccounts(values.uid, values.gid, where, errors) };
}
