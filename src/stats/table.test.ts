import { describe, expect, it } from 'vitest';
import { snapshotFixture, workerFixture } from './snapshot-fixture.ts';
import { allServing, statusTable } from './table.ts';

describe('statusTable', () => {
  it('prints a header line and one row per worker with its last exit', () => {
    const snapshot = snapshotFixture({
      workers: [
        workerFixture(1, { status: 'idle', respawn_count: 0, last_exit: null }),
        workerFixture(2, {
          status: 'busy',
          respawn_count: 1,
          last_exit: { pid: 77, code: null, signal: 'SIGKILL', reason: 'crash', at: 0 },
        }),
      ],
    });
    const lines = statusTable(snapshot).trimEnd().split('\n');
    expect(lines[0]).toContain(`master pid ${snapshot.pid}`);
    expect(lines[1]).toMatch(
      /^worker\s+pid\s+status\s+requests\s+req\/s\s+in flight\s+rss\s+uptime\s+restarts\s+last exit$/,
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^2 .* busy .* crash \(SIGKILL\)$/);
    expect(allServing(snapshot)).toBe(true);
  });

  it('is not all serving while a slot waits for its respawn', () => {
    const snapshot = snapshotFixture({ workers: [workerFixture(1, { status: 'respawning', pid: null })] });
    expect(allServing(snapshot)).toBe(false);
    expect(statusTable(snapshot)).toContain('respawning');
  });
});
