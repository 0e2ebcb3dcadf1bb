// Gathers a serving process's log lines in memory and writes them in blocks: one synchronous write(2) per block (16 KiB, or 4 KiB whole lines into a pipe), at most FLUSH_MS (10 ms) late.
import { fstatSync, writeSync } from 'node:fs';

/** How long a line may wait in memory before it is written: what a process killed outright can lose at most. */
export const FLUSH_MS = 10;
/**
 * The largest write a pipe takes in one piece (POSIX PIPE_BUF, 4 KiB on Linux): the master and the workers share one
 * stdout, and a larger write into a pipe (docker's, a `| tee`) can be cut by another process's write mid-line.
 */
export const PIPE_ATOMIC_BYTES = 4096;
/** A block for a file or /dev/null, where each write(2) lands whole: 16 KiB, sonic-boom's own largest write. */
const FILE_BLOCK_CHARS = 16 * 1024;
/** The buffer each block is encoded into; a block that might not fit (a long line) gets a buffer of its own. */
const SCRATCH_BYTES = 64 * 1024;
/** How long to wait before writing again to a non-blocking pipe that is full (EAGAIN). */
const FULL_PIPE_WAIT_MS = 1;
const NEWLINE = 0x0a;

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

/** True when `fd` is a pipe or a socket (whose writes of more than PIPE_ATOMIC_BYTES may interleave with another process's). */
function isPipe(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return true;
  }
}

/**
 * Hands `bytes` up to `length` to `output` in pieces of at most PIPE_ATOMIC_BYTES, each ending with a whole line (a
 * line longer than that goes alone, in one piece: no pipe can take it whole).
 */
export function outputWholeLines(output: BlockOutput, bytes: Buffer, length: number): void {
  let start = 0;
  while (length - start > PIPE_ATOMIC_BYTES) {
    let end = bytes.lastIndexOf(NEWLINE, start + PIPE_ATOMIC_BYTES - 1) + 1;
    if (end <= start) end = Math.min(bytes.indexOf(NEWLINE, start + PIPE_ATOMIC_BYTES) + 1 || length, length);
    output(start === 0 ? bytes : bytes.subarray(start), end - start);
    start = end;
  }
  if (start < length) output(start === 0 ? bytes : bytes.subarray(start), length - start);
}

/**
 * sonic-boom (pino's destination) gathers lines too, but it measures every line with Buffer.byteLength, and once
 * written encodes the whole block a second time (Buffer.from) to cut off what it wrote: about a microsecond per
 * access line, most of the access log's cost. Here a line costs one concatenation; a block is encoded once, into a
 * buffer kept for the purpose, and written with one write(2) straight to `to` (a file descriptor, or a log file that
 * counts what it cannot write: see log-file.ts). A block is handed on before a line would take it past its size:
 * 16 KiB for a file (or /dev/null), where a write lands whole; for a pipe or a socket, which the master and the
 * workers share, 4 KiB of whole lines (PIPE_ATOMIC_BYTES), so that no other process's write falls inside a line.
 * Every line of the process goes through the same writer, so the order of the lines is kept. Synchronous, because
 * an asynchronous write still in flight at exit is overtaken by the blocks written after it, or lost: nothing is
 * ever pending but what this writer holds.
 */
export function createBlockWriter(to: number | BlockOutput): BlockWriter {
  const output: BlockOutput = typeof to === 'number' ? (bytes, length) => writeAll(to, bytes, length) : to;
  const pipe = typeof to === 'number' && isPipe(to);
  const blockChars = pipe ? PIPE_ATOMIC_BYTES : FILE_BLOCK_CHARS;
  /** Hands a block on: in whole-line pieces a pipe takes at once, or as it is. */
  const put: BlockOutput = pipe ? (bytes, length) => outputWholeLines(output, bytes, length) : output;
  let pending = '';
  const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  const handOn = () => {
    if (pending === '') return;
    const block = pending;
    pending = '';
    // A UTF-16 unit never takes more than 3 bytes in UTF-8.
    if (block.length * 3 <= SCRATCH_BYTES) put(scratch, scratch.write(block, 0));
    else {
      const bytes = Buffer.from(block);
      put(bytes, bytes.length);
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
      else if (pending.length + line.length > blockChars) {
        flushSync();
        timer.refresh();
      }
      pending += line;
    },
    flushSync,
  };
}
