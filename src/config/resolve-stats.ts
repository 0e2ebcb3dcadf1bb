// Resolves the stats settings (stats, metrics, stats-token) into Config.stats: unix socket paths made absolute, and the combinations that mean nothing refused.
import { resolve } from 'node:path';
import type { SettingValues } from './schema.ts';
import type { ListenAddress, StatsConfig } from './types.ts';

type Values = Pick<SettingValues, 'stats' | 'metrics' | 'stats-token' | 'master'>;

function absolute(address: ListenAddress, base: string): ListenAddress {
  if (address.kind === 'tcp') return address;
  const path = resolve(base, address.path);
  return { kind: 'unix', path, text: `unix:${path}` };
}

/**
 * `stats` undefined when neither `stats` nor `metrics` is set: the workers then count nothing and send nothing.
 * Problems go to `errors` or `warnings`, prefixed by `where`.
 */
export function resolveStats(
  values: Values,
  base: string,
  where: (key: 'stats' | 'metrics' | 'stats-token') => string,
  errors: string[],
  warnings: string[],
): { stats?: StatsConfig } {
  const { stats, metrics } = values;
  const token = values['stats-token'];
  if (stats === undefined && metrics === true) {
    errors.push(
      `${where('metrics')}true serves /metrics on the stats address, and stats is not set: set stats = ADDRESS, or give metrics an address of its own`,
    );
    return {};
  }
  if (stats === undefined && metrics === false) {
    if (token !== undefined) warnings.push(`${where('stats-token')}ignored: neither stats nor metrics is set`);
    return {};
  }
  if (!values.master) {
    warnings.push(
      `${where(stats === undefined ? 'metrics' : 'stats')}ignored because master is false: the stats are served by the master`,
    );
    return {};
  }
  const config: StatsConfig = {};
  if (stats !== undefined) config.address = absolute(stats, base);
  if (metrics === true) config.metrics = true;
  else if (metrics !== false) config.metrics = absolute(metrics, base);
  if (token !== undefined) config.token = token;
  return { stats: config };
}
