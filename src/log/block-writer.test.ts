// The block writer: lines reach the destination in order, in blocks as they fill, by the timer when the process is quiet, all at a flush, and all through a full pipe.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBlockWriter, FLUSH_MS, outputWholeLines, PIPE_ATOMIC_BYTES } from './block-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-blocks-'));
const fds: number[] = [];
afterAll(() => {
  for (const fd of fds) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

function writerTo(name: string) {
  const file = join(dir, name);
  const fd = openSync(file, 'a');
  fds.push(fd);
  return { file, writer: createBlockWriter(fd) };
}

describe('block writer', () => {
  it('holds a few lines in memory, then writes them within FLUSH_MS, in order', async () => {
    const { file, writer } = writerTo('quiet.log');
    writer.write('one\n');
    writer.write('two\n');
    expect(readFileSync(file, 'utf8')).toBe('');
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 3));
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
  });

  it('writes every line, in order, in blocks as they fill and the rest by flushSync', () => {
    const { file, writer } = writerTo('busy.log');
    const lines = Array.from({ length: 5000 }, (_, i) => `{"n":${i}}\n`);
    for (const line of lines.slice(0, 2500)) writer.write(line);
    const written = readFileSync(file, 'utf8');
    // Everything but the block still filling (under 16 KiB, a file's block) is written already.
    expect(written.length).toBeGreaterThan(0);
    expect(lines.slice(0, 2500).join('').length - written.length).toBeLessThanOrEqual(16 * 1024);
    expect(lines.slice(0, 2500).join('').startsWith(written)).toBe(true);
    for (const line of lines.slice(2500)) writer.write(line);
    writer.flushSync();
    expect(readFileSync(file, 'utf8')).toBe(lines.join(''));
  });
});

describe('block writer on a pipe', () => {
  it('writes everything through a full non-blocking pipe, waiting for the reader', async () => {
    const fifo = join(dir, 'fifo');
    const copy = join(dir, 'copy.log');
    execFileSync('mkfifo', [fifo]);
    // A reader that starts late and reads slowly: the pipe (64 KiB) fills and the writer meets EAGAIN.
    const reader = spawn('sh', ['-c', `sleep 0.2; cat "${fifo}" > "${copy}"`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => reader.once('exit', resolve));
    // Opening the read end first lets the write end open without waiting; both are non-blocking.
    const readEnd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const writer = createBlockWriter(fd);
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"é":"${'x'.repeat(i % 50)}"}\n`);
    for (const line of lines.slice(0, 19_999)) writer.write(line);
    // One line longer than the writer's own buffer takes the other path.
    writer.write(`${'y'.repeat(100_000)}\n`);
    writer.flushSync();
    closeSync(fd);
    closeSync(readEnd);
    await exited;
    expect(readFileSync(copy, 'utf8')).toBe(`${lines.slice(0, 19_999).join('')}${'y'.repeat(100_000)}\n`);
  }, 10_000);
});

describe('block writer, pieces for a pipe', () => {
  /** What outputWholeLines hands on for `text`: each piece as text. */
  function pieces(text: string): string[] {
    const bytes = Buffer.from(text);
    const out: string[] = [];
    outputWholeLines((piece, length) => out.push(piece.subarray(0, length).toString()), bytes, bytes.length);
    return out;
  }

  it('cuts a block into pieces of at most PIPE_ATOMIC_BYTES, each ending with a whole line', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(i % 97)}","é":"ü"}\n`);
    const out = pieces(lines.join(''));
    expect(out.length).toBeGreaterThan(1);
    expect(out.join('')).toBe(lines.join(''));
    for (const piece of out) {
      expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(PIPE_ATOMIC_BYTES);
      expect(piece.endsWith('\n')).toBe(true);
    }
  });

  it('hands a line longer than a pipe takes at once on alone, whole, between the pieces around it', () => {
    const long = `${'z'.repeat(PIPE_ATOMIC_BYTES * 2)}\n`;
    const text = `a\n${'b'.repeat(PIPE_ATOMIC_BYTES - 10)}\n${long}c\n`;
    expect(pieces(text)).toEqual([`a\n${'b'.repeat(PIPE_ATOMIC_BYTES - 10)}\n`, long, 'c\n']);
  });

  it('hands a block that fits on as it is, and an exact fit too', () => {
    expect(pieces('one\ntwo\n')).toEqual(['one\ntwo\n']);
    const exact = `${'q'.repeat(PIPE_ATOMIC_BYTES - 1)}\n`;
    expect(pieces(exact)).toEqual([exact]);
  });
});
