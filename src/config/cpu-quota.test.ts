import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ownCgroups, parseCfsQuota, parseCpuMax, readCpuQuota, workersForQuota } from './cpu-quota.ts';

describe('parseCpuMax', () => {
  it('reads a quota over its period', () => {
    expect(parseCpuMax('150000 100000\n')).toBe(1.5);
    expect(parseCpuMax('200000 100000')).toBe(2);
    expect(parseCpuMax('50000 100000')).toBe(0.5);
  });
  it('max means no limit; garbage means none known', () => {
    expect(parseCpuMax('max 100000\n')).toBeUndefined();
    expect(parseCpuMax('')).toBeUndefined();
    expect(parseCpuMax('abc 100000')).toBeUndefined();
    expect(parseCpuMax('100000 0')).toBeUndefined();
  });
});

describe('parseCfsQuota (cgroup v1)', () => {
  it('reads quota over period; -1 is no limit', () => {
    expect(parseCfsQuota('250000\n', '100000\n')).toBe(2.5);
    expect(parseCfsQuota('-1\n', '100000\n')).toBeUndefined();
  });
});

describe('workersForQuota', () => {
  it('rounds down with a minimum of 1 and never exceeds the CPUs the process may use', () => {
    expect(workersForQuota(undefined, 8)).toBe(8);
    expect(workersForQuota(1.5, 8)).toBe(1);
    expect(workersForQuota(2, 8)).toBe(2);
    expect(workersForQuota(2.9, 8)).toBe(2);
    expect(workersForQuota(0.25, 8)).toBe(1);
    expect(workersForQuota(16, 4)).toBe(4);
  });
});

describe('ownCgroups', () => {
  it('finds the v2 path and the v1 cpu controller path', () => {
    expect(ownCgroups('0::/system.slice/app.service\n')).toEqual({ v2: '/system.slice/app.service' });
    const hybrid = '4:memory:/x\n2:cpu,cpuacct:/docker/abc\n0::/\n';
    expect(ownCgroups(hybrid)).toEqual({ v1Cpu: '/docker/abc', v2: '/' });
  });
});

describe('readCpuQuota (fixture file systems)', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const file = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it('v2: the own cgroup cpu.max', () => {
    root = mkdtempSync(join(tmpdir(), 'corral-cgroup-'));
    file('kubepods/pod1/ctr/cpu.max', '150000 100000\n');
    file('kubepods/cpu.max', 'max 100000\n');
    file('cpu.max', 'max 100000\n');
    expect(readCpuQuota({ procSelfCgroup: '0::/kubepods/pod1/ctr\n', root })).toBe(1.5);
  });

  it('v2: a parent limit binds the child; the smallest wins', () => {
    root = mkdtempSync(join(tmpdir(), 'corral-cgroup-'));
    file('app.slice/app.service/cpu.max', 'max 100000\n');
    file('app.slice/cpu.max', '300000 100000\n');
    expect(readCpuQuota({ procSelfCgroup: '0::/app.slice/app.service\n', root })).toBe(3);
  });

  it('v2: max everywhere (or no cpu controller) is no quota', () => {
    root = mkdtempSync(join(tmpdir(), 'corral-cgroup-'));
    file('a/cpu.max', 'max 100000\n');
    expect(readCpuQuota({ procSelfCgroup: '0::/a\n', root })).toBeUndefined();
    expect(readCpuQuota({ procSelfCgroup: '0::/missing\n', root })).toBeUndefined();
  });

  it('v1: cpu.cfs_quota_us over cpu.cfs_period_us, at the path or at the mount root (in a container)', () => {
    root = mkdtempSync(join(tmpdir(), 'corral-cgroup-'));
    file('cpu/docker/abc/cpu.cfs_quota_us', '200000\n');
    file('cpu/docker/abc/cpu.cfs_period_us', '100000\n');
    expect(readCpuQuota({ procSelfCgroup: '3:cpu,cpuacct:/docker/abc\n0::/\n', root })).toBe(2);
    rmSync(join(root, 'cpu'), { recursive: true });
    file('cpu,cpuacct/cpu.cfs_quota_us', '50000\n');
    file('cpu,cpuacct/cpu.cfs_period_us', '100000\n');
    expect(readCpuQuota({ procSelfCgroup: '3:cpu,cpuacct:/docker/abc\n', root })).toBe(0.5);
  });

  it('nothing readable: no quota', () => {
    root = mkdtempSync(join(tmpdir(), 'corral-cgroup-'));
    expect(readCpuQuota({ procSelfCgroup: '', root })).toBeUndefined();
  });
});
