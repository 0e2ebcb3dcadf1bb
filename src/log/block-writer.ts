// Gathers a serving process's log lines in memory and writes them in blocks: one synchronous write(2) per ~4 KiB, at most FLUSH_MS (10 ms) late.
import { writeSync } from 'node:fs';

/** How long a line may wait in memory before it is written: what a process killed outright can lose at most. */
export const FLUSH_MS = 10;
/** A block is handed on once this many characters are gathered (pino's own figure for a cheap destination). */
const BLOCK_CHARS = 4096;
/** The buffer each block is encoded into; a block that might not fit (a long line) gets a buffer of its own. */
const SCRATCH_BYTES = 64 * 1024;
/** How long to wait before writing again to a non-blocking pipe that is full (EAGAIN). */
const FULL_PIPE_WAIT_MS = 1;

/** Takes a finished block, `bytes` up to `length`, and writes all of it (or reports why not: see log-file.ts). */
export type BlockOutput = (bytes: Buffer, length: number) => void;

export interface BlockWriter {
  /** Appends one finished line (newline included). */
  write(line: string): void;
  /** Writes what is gathered before returning. */
  flushSync(): void;
}

const waitCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `bytes` to `fd`, synchronously: a partial write goes on with the rest, a full non-blocking pipe (the
 * reader is slow) is waited for, as pino's synchronous destination does. A failure is thrown with `written`: the offset
 * up to which the bytes did reach `fd`.
 */
export function writeAll(fd: number, bytes: Buffer, length: number): void {
  let offset = 0;
  while (offset < length) {
    try {
      offset += writeSync(fd, bytes, offset, length - offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw Object.assign(err as Error, { written: offset });
      Atomics.wait(waitCell, 0, 0, FULL_PIPE_WAIT_MS);
    }
  }
}

/**
 * sonic-boom (pino's destination) gathers lines too, but it measures every line with Buffer.byteLength, and once
 * written encodes the whole block a second time (Buffer.from) to cut off what it wrote: about a microsecond per
 * access line, most of the access log's cost. Here a line costs one concatenation; a block is encoded once, into a
 * buffer kept for the purpose, and written with one write(2) straight to `to` (a file descriptor, or a log file that
 * counts what it cannot write: see log-file.ts). Every line of the process goes
 * through the same writer, so the order of the lines is kept. Synchronous, because an asynchronous write still in
 * flight at exit is overtaken by the blocks written after it, or lost: nothing is ever pending but what this writer
 * holds.
 */
export function createBlockWriter(to: number | BlockOutput): BlockWriter {
  const output: BlockOutput = typeof to === 'number' ? (bytes, length) => writeAll(to, bytes, length) : to;
  let pending = '';
  const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  const handOn = () => {
    if (pending === '') return;
    const block = pending;
    pending = '';
    // A UTF-16 unit never takes more than 3 bytes in UTF-8.
    if (block.length * 3 <= SCRATCH_BYTES) output(scratch, scratch.write(block, 0));
    else {
      const bytes = Buffer.from(block);
      output(bytes, bytes.length);
    }
  };
  // One timer, armed again by the first line of each block: a quiet process has no timer running.
  const timer = setTimeout(() => flushSync(), FLUSH_MS).unref();
  const flushSync = () => {
    try {
      handOn();
    } catch {
      // stdout already closed (the reader went away): nothing left to save.
    }
  };
  // process.exit() and a normal end both pass here: lines logged up to the last moment are written.
  process.on('exit', flushSync);
  return {
    write(line) {
      if (pending === '') timer.refresh();
      pending += line;
      if (pending.length >= BLOCK_CHARS) flushSync();
    },
    flushSync,
  };
}
