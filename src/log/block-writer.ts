// Gathers a serving process's log lines in memory and writes them in blocks: one synchronous write per ~4 KiB, at most FLUSH_MS late.
import type pino from 'pino';

type Destination = ReturnType<typeof pino.destination>;

/** How long a line may wait in memory before it is written. */
export const FLUSH_MS = 100;
/** A block is handed on once this many characters are gathered (pino's own figure for a cheap destination). */
const BLOCK_CHARS = 4096;

export interface BlockWriter {
  /** Appends one finished line (newline included). */
  write(line: string): void;
  /** Writes what is gathered before returning. */
  flushSync(): void;
}

/**
 * sonic-boom's own `minLength` gathers lines too, but it measures its whole pending buffer with Buffer.byteLength at
 * every write: a string of kilobytes flattened and scanned per access line. Here a line costs one concatenation;
 * the destination (a synchronous one) gets one string and one write(2) per block. Every line of the process goes
 * through the same writer, so the order of the lines is kept. Synchronous, because an asynchronous write still in
 * flight at exit is overtaken by the blocks written after it, or lost: a block costs one system call per ~20 access
 * lines, and nothing is ever pending but what this writer holds.
 */
export function createBlockWriter(dest: Destination): BlockWriter {
  let pending = '';
  const handOn = () => {
    if (pending === '') return;
    const block = pending;
    pending = '';
    dest.write(block);
  };
  setInterval(() => flushSync(), FLUSH_MS).unref();
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
      pending += line;
      if (pending.length >= BLOCK_CHARS) handOn();
    },
    flushSync,
  };
}
