// The resolved config as `corral check` shows it: every value as corral will use it, but a secret only as the fact that it is set.
import type { Config } from './types.ts';

/** `config` with `stats-token` replaced by a note of its length, so the output can be pasted into an issue or a log. */
export function redactSecrets(config: Config): Config {
  const token = config.stats?.token;
  if (token === undefined) return config;
  return { ...config, stats: { ...config.stats, token: `(set: ${token.length} characters, not shown)` } };
}
