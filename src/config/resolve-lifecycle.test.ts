// Unit tests for the process-management settings as loadConfig resolves them: off by default, paths, uid/gid, and single-mode warnings.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/corral-error.ts';
import { loadConfig } from './load.ts';

const load = (cliValues: Record<string, unknown>) => loadConfig({ cliValues, env: {}, cwd: tmpdir() });

describe('process-management settings', () => {
  it('are absent when left off, so the resolved config reads as before', () => {
    const { config } = load({ 'max-requests': '0', 'reload-on-rss': '0' });
    for (const key of [
      'pidfile',
      'maxRequests',
      'maxRequestsDelta',
      'reloadOnRss',
      'maxWorkerLifetime',
      'harakiri',
      'touchReload',
      'watch',
      'uid',
      'gid',
    ]) {
      expect(config).not.toHaveProperty(key);
    }
  });

  it('resolve paths and numbers', () => {
    const { config } = load({
      pidfile: 'corral.pid',
      'max-requests': '100',
      'max-requests-jitter': '10',
      harakiri: '2.5',
      'touch-reload': ['a', '/b'],
      watch: ['.'],
    });
    expect(config).toMatchObject({
      pidfile: join(tmpdir(), 'corral.pid'),
      maxRequests: 100,
      maxRequestsDelta: 10,
      harakiri: 2.5,
      touchReload: [join(tmpdir(), 'a'), '/b'],
      watch: [tmpdir()],
    });
  });

  it("take uid and gid as ids, or as names with the user's primary group", () => {
    expect(load({ uid: '1234', gid: '99' }).config).toMatchObject({ uid: 1234, gid: 99 });
    expect(load({ uid: 'root' }).config).toMatchObject({ uid: 0, gid: 0 });
    expect(() => load({ uid: 'no-such-user-here' })).toThrow(ConfigError);
  });

  it('refuse a watch directory that does not exist, and a negative count', () => {
    expect(() => load({ watch: ['/no/such/dir'] })).toThrow(/watch/);
    expect(() => load({ 'max-requests': '-1' })).toThrow(/max-requests/);
  });

  it('are named in a warning when master is false', () => {
    const { warnings } = load({ master: 'false', 'max-requests': '5', pidfile: 'x.pid' });
    expect(warnings).toContain('pidfile, max-requests: ignored because master is false (only a master acts on them)');
  });
});
