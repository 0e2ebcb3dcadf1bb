// Tests the stats value types (stats address, metrics, stats-token) and how resolveStats combines them.
import { describe, expect, test } from 'vitest';
import { resolveStats } from '../resolve-stats.ts';
import { metricsType, statsAddressType, statsTokenType } from './stats-address.ts';

describe('stats address', () => {
  test('a bare port binds 127.0.0.1', () => {
    expect(statsAddressType.schema.parse(':9191')).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 9191,
      text: '127.0.0.1:9191',
    });
    expect(statsAddressType.schema.parse(9191)).toMatchObject({ host: '127.0.0.1', port: 9191 });
  });

  test('a host is kept, unix: or a path is a socket', () => {
    expect(statsAddressType.schema.parse('0.0.0.0:9191')).toMatchObject({ host: '0.0.0.0' });
    expect(statsAddressType.schema.parse('unix:/run/s.sock')).toEqual({
      kind: 'unix',
      path: '/run/s.sock',
      text: '/run/s.sock',
    });
    expect(statsAddressType.schema.safeParse('unix:nope').success).toBe(false);
  });
});

describe('metrics', () => {
  test('a boolean, or an address of its own', () => {
    expect(metricsType.schema.parse('true')).toBe(true);
    expect(metricsType.schema.parse(false)).toBe(false);
    expect(metricsType.schema.parse(':9100')).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: 9100 });
  });
});

describe('stats-token', () => {
  test('at least 16 characters, no spaces, and the refusal does not repeat it', () => {
    expect(statsTokenType.schema.parse(' 0123456789abcdef ')).toBe('0123456789abcdef');
    const short = statsTokenType.schema.safeParse('secret-ish');
    expect(short.success).toBe(false);
    expect(JSON.stringify(short.error)).not.toContain('secret-ish');
  });
});

describe('resolveStats', () => {
  const where = (key: string) => `${key}: `;
  const address = statsAddressType.schema.parse(':9191');

  test('metrics = true needs a stats address', () => {
    const errors: string[] = [];
    resolveStats({ stats: undefined, metrics: true, 'stats-token': undefined, master: true }, '/', where, errors, []);
    expect(errors[0]).toMatch(/^metrics: .*set stats = ADDRESS/);
  });

  test('nothing set: no stats config (the workers count nothing)', () => {
    expect(
      resolveStats({ stats: undefined, metrics: false, 'stats-token': undefined, master: true }, '/', where, [], []),
    ).toEqual({});
  });

  test('with master false: ignored with a warning', () => {
    const warnings: string[] = [];
    const resolved = resolveStats(
      { stats: address, metrics: false, 'stats-token': undefined, master: false },
      '/',
      where,
      [],
      warnings,
    );
    expect(resolved).toEqual({});
    expect(warnings[0]).toContain('master is false');
  });

  test('a unix socket path resolves against the base', () => {
    const socket = statsAddressType.schema.parse('unix:run/s.sock');
    const resolved = resolveStats(
      { stats: socket, metrics: true, 'stats-token': undefined, master: true },
      '/srv',
      where,
      [],
      [],
    );
    expect(resolved.stats).toEqual({
      address: { kind: 'unix', path: '/srv/run/s.sock', text: 'unix:/srv/run/s.sock' },
      metrics: true,
    });
  });
});
