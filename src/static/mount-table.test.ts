// Checks mount matching: longest prefix wins, only on segment boundaries, and the root directory is looked up once until reloaded.
import { describe, expect, it, vi } from 'vitest';
import type { StaticMount } from '../config/types.ts';
import { buildMountTable, matchMount } from './mount-table.ts';

const identity = (dir: string) => Promise.resolve(dir);

function matcher(mounts: StaticMount[]) {
  const table = buildMountTable(mounts, identity);
  return (rawPath: string) => {
    const match = matchMount(table, rawPath);
    return match === undefined ? undefined : { prefix: match.entry.prefix, remainder: match.remainder };
  };
}

describe('matchMount', () => {
  const match = matcher([
    { prefix: '/static', dir: '/srv/static' },
    { prefix: '/static-private', dir: '/srv/static-private' },
    { prefix: '/static/img', dir: '/srv/img' },
    { prefix: '/caf\u00e9 menu', dir: '/srv/menu' },
  ]);

  it('matches the prefix itself and paths below it', () => {
    expect(match('/static')).toEqual({ prefix: '/static', remainder: '' });
    expect(match('/static/')).toEqual({ prefix: '/static', remainder: '/' });
    expect(match('/static/a/b.css')).toEqual({ prefix: '/static', remainder: '/a/b.css' });
  });

  it('only matches on a segment boundary', () => {
    expect(match('/staticky')).toBeUndefined();
    expect(match('/staticky/a')).toBeUndefined();
    expect(match('/stati')).toBeUndefined();
    expect(match('/static%2fa')).toBeUndefined();
    expect(match('/other/static/a')).toBeUndefined();
    expect(match('')).toBeUndefined();
  });

  it('prefers the longest prefix, whatever the config order', () => {
    expect(match('/static/img/a.png')).toEqual({ prefix: '/static/img', remainder: '/a.png' });
    expect(match('/static/img')).toEqual({ prefix: '/static/img', remainder: '' });
    expect(match('/static/imgs/a.png')).toEqual({ prefix: '/static', remainder: '/imgs/a.png' });
  });

  it('keeps a sibling URL prefix apart', () => {
    expect(match('/static-private/k')).toEqual({ prefix: '/static-private', remainder: '/k' });
    expect(match('/static/../static-private/k')).toEqual({ prefix: '/static', remainder: '/../static-private/k' });
  });

  it('matches a prefix sent percent-encoded', () => {
    expect(match('/caf%C3%A9%20menu/x')).toEqual({ prefix: '/caf\u00e9 menu', remainder: '/x' });
  });
});

describe('a "/" mount', () => {
  const match = matcher([
    { prefix: '/', dir: '/srv/root' },
    { prefix: '/assets', dir: '/srv/assets' },
  ]);

  it('catches everything the longer mounts do not', () => {
    expect(match('/')).toEqual({ prefix: '/', remainder: '/' });
    expect(match('/x/y')).toEqual({ prefix: '/', remainder: '/x/y' });
    expect(match('/assetsx')).toEqual({ prefix: '/', remainder: '/assetsx' });
    expect(match('/assets/a.js')).toEqual({ prefix: '/assets', remainder: '/a.js' });
  });

  it('never matches a target that is not origin-form', () => {
    expect(match('*')).toBeUndefined();
    expect(match('http://example.com/x')).toBeUndefined();
  });
});

describe('buildMountTable', () => {
  it('keeps config order for equal prefixes', () => {
    const table = buildMountTable(
      [
        { prefix: '/a', dir: '/first' },
        { prefix: '/a', dir: '/second' },
      ],
      identity,
    );
    expect(matchMount(table, '/a/x')?.entry.dir).toBe('/first');
  });

  it('computes the real root once, and again only after a failure', async () => {
    const realpath = vi.fn<(dir: string) => Promise<string>>();
    realpath.mockRejectedValueOnce(new Error('ENOENT')).mockResolvedValue('/real/static');
    const entry = matchMount(buildMountTable([{ prefix: '/s', dir: '/srv/s' }], realpath), '/s/x')!.entry;
    await expect(entry.realRoot()).rejects.toThrow('ENOENT');
    await expect(entry.realRoot()).resolves.toBe('/real/static');
    await expect(entry.realRoot()).resolves.toBe('/real/static');
    expect(realpath).toHaveBeenCalledTimes(2);
  });

  it('reloads the real root on demand, sharing one lookup between concurrent reloads', async () => {
    const realpath = vi.fn<(dir: string) => Promise<string>>();
    realpath.mockResolvedValueOnce('/srv/releases/1').mockResolvedValue('/srv/releases/2');
    const entry = matchMount(buildMountTable([{ prefix: '/s', dir: '/srv/current' }], realpath), '/s/x')!.entry;
    await expect(entry.realRoot()).resolves.toBe('/srv/releases/1');
    const reloads = [entry.reloadRealRoot(), entry.reloadRealRoot()];
    await expect(Promise.all(reloads)).resolves.toEqual(['/srv/releases/2', '/srv/releases/2']);
    await expect(entry.realRoot()).resolves.toBe('/srv/releases/2');
    expect(realpath).toHaveBeenCalledTimes(2);
  });

  it('forgets a failed reload, so the next use looks again', async () => {
    const realpath = vi.fn<(dir: string) => Promise<string>>();
    realpath.mockResolvedValueOnce('/real/a').mockRejectedValueOnce(new Error('ENOENT')).mockResolvedValue('/real/b');
    const entry = matchMount(buildMountTable([{ prefix: '/s', dir: '/srv/s' }], realpath), '/s/x')!.entry;
    await entry.realRoot();
    await expect(entry.reloadRealRoot()).rejects.toThrow('ENOENT');
    await expect(entry.realRoot()).resolves.toBe('/real/b');
  });
});
