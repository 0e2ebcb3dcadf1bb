// The logto file: appends, reopens its path, and on a full disk (/dev/full) drops and counts lines, says so once, and says how many once writing works again.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogFile } from './log-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-log-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const block = (text: string): [Buffer, number] => {
  const bytes = Buffer.from(text);
  return [bytes, bytes.length];
};

function fileAt(name: string, options: Partial<ConstructorParameters<typeof LogFile>[1]> = {}) {
  const reports: string[] = [];
  const path = join(dir, name);
  const file = new LogFile(path, {
    label: 'corral worker 1 (pid 7)',
    bindingsJson: '"pid":7,"role":"worker","worker":1',
    report: (text) => void reports.push(text),
    ...options,
  });
  return { path, file, reports };
}

describe('LogFile', () => {
  it('creates the file with mode 0640 and appends blocks', () => {
    const { path, file } = fileAt('plain.log');
    file.write(...block('one\n'));
    file.write(...block('two\n'));
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
    expect(statSync(path).mode & 0o777).toBe(0o640 & ~process.umask());
    file.close();
  });

  it('reopen writes to the path anew: lines before it stay in the renamed file', () => {
    const { path, file } = fileAt('renamed.log');
    file.write(...block('before\n'));
    renameSync(path, `${path}.1`);
    file.write(...block('between\n'));
    expect(file.reopen()).toBeUndefined();
    file.write(...block('after\n'));
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('before\nbetween\n');
    expect(readFileSync(path, 'utf8')).toBe('after\n');
    file.close();
  });

  it('a reopen that fails (the directory is gone) keeps the file open until now, and is reported once', () => {
    mkdirSync(join(dir, 'gone'));
    const { file, reports } = fileAt('gone/kept.log');
    renameSync(join(dir, 'gone'), join(dir, 'moved'));
    expect(file.reopen()).toMatch(/^ENOENT/);
    expect(file.reopen()).toMatch(/^ENOENT/);
    file.write(...block('still here\n'));
    expect(readFileSync(join(dir, 'moved', 'kept.log'), 'utf8')).toBe('still here\n');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/cannot reopen the log file .*gone\/kept\.log: ENOENT .*SIGUSR1/);
    file.close();
  });

  it('on a full disk drops and counts lines, reports once, and reports the count when writing works again', () => {
    const link = join(dir, 'full.log');
    symlinkSync('/dev/full', link);
    const { file, reports } = fileAt('full.log');
    file.write(...block('a\nb\n'));
    file.write(...block('c\n'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(
      /^corral: corral worker 1 \(pid 7\): cannot write the log file .*full\.log: ENOSPC .*dropped and counted/,
    );
    // The disk has room again: the path now names a real file.
    unlinkSync(link);
    expect(file.reopen()).toBeUndefined();
    file.write(...block('d\n'));
    const lines = readFileSync(link, 'utf8').split('\n');
    const notice = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(notice).toMatchObject({
      level: 'warn',
      pid: 7,
      worker: 1,
      dropped: 3,
      error: expect.stringMatching(/^ENOSPC/),
    });
    expect(lines.slice(1)).toEqual(['d', '']);
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatch(/writable again: 3 lines were dropped/);
    file.close();
  });

  it('calls onFull once past maxSize, and again only after a reopen', async () => {
    let full = 0;
    const { file } = fileAt('size.log', { maxSize: 10, onFull: () => full++ });
    file.write(...block('12345\n'));
    file.write(...block('67890\n'));
    file.write(...block('more\n'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(full).toBe(1);
    file.reopen();
    file.write(...block('x\n'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(full).toBe(2);
    file.close();
  });
});
