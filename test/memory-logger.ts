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
  const parse = (text: string) => lines.push(JSON.parse(text) as Record<string, unknown>);
  // The access log's sink: its lines land in the same list as the logger's.
  const sink2 = { writeLine: (line: string) => void parse(line), bindingsJson: JSON.stringify(bindings).slice(1, -1) };
  return { log: pino({ base: bindings }, sink), lines, sink: sink2 };
}
