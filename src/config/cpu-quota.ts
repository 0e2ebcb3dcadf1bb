// The CPU quota of the cgroup corral runs in (v2 cpu.max, or v1 cpu.cfs_quota_us over cpu.cfs_period_us), for `processes = auto`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the cgroup files are read; tests point these at fixtures. */
export interface CgroupFiles {
  /** The process's own /proc/self/cgroup text. */
  procSelfCgroup: string;
  /** The cgroup file system's mount point (/sys/fs/cgroup). */
  root: string;
}

/** CPUs a v2 `cpu.max` line allows ("150000 100000" -> 1.5); undefined for "max ..." or a line it cannot read. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period = '100000'] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return undefined;
  return cpus(Number(quota), Number(period));
}

/** CPUs v1's cpu.cfs_quota_us and cpu.cfs_period_us allow; undefined for -1 (no quota) or a value it cannot read. */
export function parseCfsQuota(quotaText: string, periodText: string): number | undefined {
  return cpus(Number(quotaText.trim()), Number(periodText.trim()));
}

function cpus(quota: number, period: number): number | undefined {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) return undefined;
  return quota / period;
}

/**
 * The workers `processes = auto` starts: one per whole CPU of the quota (1.5 CPUs -> 1, at least 1), never more than
 * `parallelism` (the CPUs the process may run on); `parallelism` itself when there is no quota. Rounded down as
 * Uber's automaxprocs and libuv (1.49.1 and later) do: a worker for a fraction of a CPU would only be throttled.
 */
export function workersForQuota(quotaCpus: number | undefined, parallelism: number): number {
  if (quotaCpus === undefined) return parallelism;
  return Math.max(1, Math.min(parallelism, Math.floor(quotaCpus)));
}

/** The cgroup paths of /proc/self/cgroup: the v2 one ("0::/path") and the v1 one of the cpu controller. */
export function ownCgroups(procSelfCgroup: string): { v2?: string; v1Cpu?: string } {
  const found: { v2?: string; v1Cpu?: string } = {};
  for (const line of procSelfCgroup.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (match === null) continue;
    const [, id, controllers = '', path = '/'] = match;
    if (id === '0' && controllers === '') found.v2 = path;
    else if (controllers.split(',').includes('cpu')) found.v1Cpu = path;
  }
  return found;
}

/**
 * The smallest CPU quota on the way from the process's cgroup up to the root (a parent's limit binds its children
 * too), v2 first, then v1; undefined when there is none or the files cannot be read (not Linux, no cgroup mounted).
 */
export function readCpuQuota(files: CgroupFiles = systemCgroupFiles()): number | undefined {
  const own = ownCgroups(files.procSelfCgroup);
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  const smallest = (dirs: string[], quotaOf: (dir: string) => number | undefined): number | undefined => {
    const found = dirs.map(quotaOf).filter((value): value is number => value !== undefined);
    return found.length === 0 ? undefined : Math.min(...found);
  };
  if (own.v2 !== undefined) {
    const v2 = smallest(ancestors(files.root, own.v2), (dir) => {
      const text = read(join(dir, 'cpu.max'));
      return text === undefined ? undefined : parseCpuMax(text);
    });
    if (v2 !== undefined) return v2;
  }
  if (own.v1Cpu !== undefined) {
    // v1 mounts the cpu controller at cpu,cpuacct (with a cpu link) or cpu; inside a container the mount is the
    // container's own cgroup, so its root is tried too.
    const mounts = ['cpu', 'cpu,cpuacct'].map((name) => join(files.root, name));
    return smallest(
      mounts.flatMap((mount) => [...ancestors(mount, own.v1Cpu ?? '/'), mount]),
      (dir) => {
        const quota = read(join(dir, 'cpu.cfs_quota_us'));
        const period = read(join(dir, 'cpu.cfs_period_us'));
        return quota === undefined || period === undefined ? undefined : parseCfsQuota(quota, period);
      },
    );
  }
  return undefined;
}

/** `root + path` and each of its parents up to `root`. */
function ancestors(root: string, path: string): string[] {
  const dirs: string[] = [];
  let dir = join(root, path);
  while (dir.startsWith(root) && !dirs.includes(dir)) {
    dirs.push(dir);
    if (dir === root) break;
    dir = dirname(dir);
  }
  return dirs;
}

function systemCgroupFiles(): CgroupFiles {
  let procSelfCgroup = '';
  try {
    procSelfCgroup = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    // Not Linux: no quota.
  }
  return { procSelfCgroup, root: '/sys/fs/cgroup' };
}
