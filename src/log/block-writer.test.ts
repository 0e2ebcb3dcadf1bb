// The block writer: lines reach the destination in order, in blocks as they fill, by the timer when the process is quiet, and all at a flush.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createBlockWriter, FLUSH_MS } from './block-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-blocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writerTo(name: string) {
  const file = join(dir, name);
  const dest = pino.destination({ dest: file, sync: true, minLength: 0 });
  return { file, dest, writer: createBlockWriter(dest) };
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
    // Everything but the block still filling (under 4 KiB) is written already.
    expect(lines.slice(0, 2500).join('').length - written.length).toBeLessThan(4096 + 16);
    expect(lines.slice(0, 2500).join('').startsWith(written)).toBe(true);
    for (const line of lines.slice(2500)) writer.write(line);
    writer.flushSync();
    expect(readFileSync(file, 'utf8')).toBe(lines.join(''));
  });
});
