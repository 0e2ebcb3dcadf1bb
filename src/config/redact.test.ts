// Tests that `corral check`'s view of the config hides the stats token and changes nothing else.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';
import { redactSecrets } from './redact.ts';

const load = (env: Record<string, string>) => loadConfig({ cliValues: {}, env, cwd: process.cwd() }).config;

describe('redactSecrets', () => {
  it('shows that a stats-token is set, and its length, never its text', () => {
    const config = load({ CORRAL_STATS: '127.0.0.1:9191', CORRAL_STATS_TOKEN: 'abcdefghijklmnop0123' });
    const shown = redactSecrets(config);
    expect(JSON.stringify(shown)).not.toContain('abcdefghijklmnop0123');
    expect(shown.stats?.token).toBe('(set: 20 characters, not shown)');
    expect({ ...shown, stats: undefined }).toEqual({ ...config, stats: undefined });
    expect(config.stats?.token).toBe('abcdefghijklmnop0123');
  });

  it('returns a config without secrets as it is', () => {
    const config = load({ CORRAL_STATS: '127.0.0.1:9191' });
    expect(redactSecrets(config)).toBe(config);
  });
});
