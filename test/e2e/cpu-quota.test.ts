// End to end: `processes = auto` in a cgroup with a CPU quota of 1.5 CPUs starts 1 worker (needs root and a writable cgroup file system; skipped with the reason otherwise).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCorral } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-cpu-quota-'));
const app = join(dir, 'app.mjs');
writeFileSync(app, 'export default (req, res) => res.end("ok");\n');

/** A cgroup with a quota of 1.5 CPUs (v2 cpu.max, else v1 cpu.cfs_quota_us), or why none could be made here. */
function makeCgroup(): { procs: string; remove: () => void } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'not root' };
  const name = `corral-test-${process.pid}`;
  const v1 = '/sys/fs/cgroup/cpu';
  const v2Controllers = '/sys/fs/cgroup/cgroup.controllers';
  try {
    if (existsSync(v2Controllers) && readFileSync(v2Controllers, 'utf8').split(/\s+/).includes('cpu')) {
      const path = join('/sys/fs/cgroup', name);
      mkdirSync(path);
      writeFileSync(join(path, 'cpu.max'), '150000 100000');
      return { procs: join(path, 'cgroup.procs'), remove: () => rmdirSync(path) };
    }
    if (existsSync(join(v1, 'cpu.cfs_quota_us'))) {
      const path = join(v1, name);
      mkdirSync(path);
      writeFileSync(join(path, 'cpu.cfs_period_us'), '100000');
      writeFileSync(join(path, 'cpu.cfs_quota_us'), '150000');
      return { procs: join(path, 'cgroup.procs'), remove: () => rmdirSync(path) };
    }
    return { skip: 'no cgroup cpu controller (v2 cpu.max or v1 cpu.cfs_quota_us) on this machine' };
  } catch (err) {
    return { skip: `cannot create a cgroup here (${(err as Error).message})` };
  }
}

const cgroup = makeCgroup();
if ('skip' in cgroup) console.log(`cpu-quota e2e skipped: ${cgroup.skip}`);
const parallelism = availableParallelism();
if (parallelism < 2) console.log('cpu-quota e2e skipped: this machine has 1 CPU, so a quota of 1.5 changes nothing');

afterAll(() => {
  if ('remove' in cgroup) cgroup.remove(); // empty again: the process that joined it has exited
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf('skip' in cgroup || parallelism < 2)('processes = auto under a CPU quota', () => {
  it('counts the whole CPUs of the quota (1.5 CPUs: 1 worker), not the machine cores', async () => {
    if ('skip' in cgroup) return;
    // The shell joins the cgroup, then becomes corral: the quota is corral's from its first instruction.
    const wrapper = ['sh', '-c', `echo $$ > ${cgroup.procs} && exec "$@"`, 'sh'];
    const inside = await runCorral(['check', '--module', app, '--processes', 'auto'], { wrapper });
    expect(inside.code, inside.stderr).toBe(0);
    expect((JSON.parse(inside.stdout) as { processes: number }).processes).toBe(1);
    const outside = await runCorral(['check', '--module', app, '--processes', 'auto']);
    // The control: the same command outside the cgroup counts the machine's CPUs (2 or more here).
    expect((JSON.parse(outside.stdout) as { processes: number }).processes).toBeGreaterThan(1);
  });
});
