// Gathers a serving process's log lines in memory and hands them to the destination in blocks: one write per ~4 KiB, at most FLUSH_MS late.
import type pino from 'pino';

type Destination = ReturnType<typeof pino.destination>;

/** How long a line may wait in memory before it is written. */
export const FLUSH_MS = 100;
/** A block is handed on once this many characters are gathered (pino's own figure for a cheap destination). */
const BLOCK_CHARS = 4096;

export interface BlockWriter {
  /** Appends one finished line (newline included). */
  write(line: string): void;
  /** Hands what is gathered to the destination and writes everything out before returning. */
  flushSync(): void;
  /** Hands what is gathered on; calls `done` once the destination has written everything (or failed to). */
  flush(done: () => void): void;
}

/**
 * sonic-boom's own `minLength` gathers lines too, but it measures its whole pending buffer with Buffer.byteLength at
 * every write: a string of kilobytes flattened and scanned per access line. Here a line costs one concatenation;
 * the destination sees one string per block. Every line of the process goes through the same writer, so the order
 * of the lines is kept.
 */
export function createBlockWriter(dest: Destination): BlockWriter {
  let pending = '';
  const handOn = () => {
    if (pending === '') return;
    const block = pending;
    pending = '';
    dest.write(block);
  };
  setInterval(handOn, FLUSH_MS).unref();
  const flushSync = () => {
    handOn();
    try {
      dest.flushSync();
    } catch {
      // stdout already closed (the reader went away), or a write still in flight: nothing more to do now.
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
    flush(done) {
      handOn();
      // An empty write queues behind the write in flight; 'drain' comes once nothing is left.
      dest.once('drain', () => done());
      dest.write('');
    },
  };
}
