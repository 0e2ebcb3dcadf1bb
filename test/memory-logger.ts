// Test helper: a pino logger that keeps its lines in memory, parsed, for assertions on what was logged.
import { Writable } from 'node:stream';
import pino from 'pino';

export function memoryLogger(bindings: Record<string, unknown> = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n'))
        if (text) lines.push(JSON.parse(text) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ base: bindings }, sink), lines };
}
