// CPU time read from /proc: a process's own, its tree's, and nothing for a pid that is gone; a typed command's words.
import { describe, expect, it } from 'vitest';
import { commandWords, cpuTicks, TICKS_PER_SECOND, treeCpuTicks } from './processes.mjs';

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

describe('a command typed as one string', () => {
  it('is split on spaces with every {PORT} filled in', () => {
    expect(commandWords('node dist/corral.cjs --http 127.0.0.1:{PORT} --stats 127.0.0.1:{PORT}', 8080)).toEqual([
      'node',
      'dist/corral.cjs',
      '--http',
      '127.0.0.1:8080',
      '--stats',
      '127.0.0.1:8080',
    ]);
  });
});
