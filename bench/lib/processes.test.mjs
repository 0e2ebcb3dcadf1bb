// CPU time read from /proc: a process's own, its tree's, and nothing for a pid that is gone.
import { describe, expect, it } from 'vitest';
import { cpuTicks, TICKS_PER_SECOND, treeCpuTicks } from './processes.mjs';

describe.runIf(process.platform === 'linux')('CPU time of a process tree', () => {
  it('counts the CPU a process used, and its tree at least as much', () => {
    const before = cpuTicks(process.pid);
    const until = Date.now() + 100;
    while (Date.now() < until) {
      // 100 ms of CPU: at least a few ticks.
    }
    const after = cpuTicks(process.pid);
    expect(after - before).toBeGreaterThanOrEqual((TICKS_PER_SECOND * 0.05) | 0);
    expect(treeCpuTicks(process.pid)).toBeGreaterThanOrEqual(after);
  });

  it('gives 0 for a pid that is not there', () => {
    expect(cpuTicks(2 ** 22 + 12345)).toBe(0);
    expect(treeCpuTicks(2 ** 22 + 12345)).toBe(0);
  });
});
