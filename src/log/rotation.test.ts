// Rotation by size: the renames in the order they must run, the oldest backup dropped, and truncation with no backups.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rotateLogFile, rotationRenames } from './rotation.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-rotation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rotationRenames', () => {
  it('moves the oldest kept backup first and the live file last', () => {
    expect(rotationRenames('/var/log/app.log', 3)).toEqual([
      ['/var/log/app.log.2', '/var/log/app.log.3'],
      ['/var/log/app.log.1', '/var/log/app.log.2'],
      ['/var/log/app.log', '/var/log/app.log.1'],
    ]);
  });

  it('keeps one backup with a single rename, and renames nothing with none', () => {
    expect(rotationRenames('a.log', 1)).toEqual([['a.log', 'a.log.1']]);
    expect(rotationRenames('a.log', 0)).toEqual([]);
  });
});

describe('rotateLogFile', () => {
  it('shifts the backups, drops the one past log-backups, and skips missing ones', () => {
    const path = join(dir, 'shift.log');
    writeFileSync(path, 'now\n');
    writeFileSync(`${path}.1`, 'one\n');
    writeFileSync(`${path}.2`, 'two (oldest kept)\n');
    rotateLogFile(path, 2);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('now\n');
    expect(readFileSync(`${path}.2`, 'utf8')).toBe('one\n');
    expect(existsSync(`${path}.3`)).toBe(false);

    const sparse = join(dir, 'sparse.log');
    writeFileSync(sparse, 'first\n');
    rotateLogFile(sparse, 5);
    expect(readFileSync(`${sparse}.1`, 'utf8')).toBe('first\n');
  });

  it('truncates in place with no backups', () => {
    const path = join(dir, 'truncate.log');
    writeFileSync(path, 'x'.repeat(100));
    rotateLogFile(path, 0);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('throws when the live file cannot be moved', () => {
    expect(() => rotateLogFile(join(dir, 'absent.log'), 2)).toThrow(/ENOENT/);
  });
});
