// The block writer: lines reach the destination in order, in blocks, by the timer when the process is quiet, and all at a flush.
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
  const dest = pino.destination({ dest: file, sync: false, minLength: 0 });
  return { file, dest, writer: createBlockWriter(dest) };
}

describe('block writer', () => {
  it('holds a few lines in memory, then writes them within FLUSH_MS, in order', async () => {
    const { file, dest, writer } = writerTo('quiet.log');
    await new Promise((resolve) => dest.once('ready', resolve));
    writer.write('one\n');
    writer.write('two\n');
    expect(readFileSync(file, 'utf8')).toBe('');
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 3));
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
  });

  it('writes every line, in order, by flushSync, and calls flush back once all is written', async () => {
    const { file, dest, writer } = writerTo('busy.log');
    await new Promise((resolve) => dest.once('ready', resolve));
    const lines = Array.from({ length: 5000 }, (_, i) => `{"n":${i}}\n`);
    for (const line of lines.slice(0, 2500)) writer.write(line);
    await new Promise<void>((resolve) => writer.flush(resolve));
    expect(readFileSync(file, 'utf8')).toBe(lines.slice(0, 2500).join(''));
    for (const line of lines.slice(2500)) writer.write(line);
    writer.flushSync();
    expect(readFileSync(file, 'utf8')).toBe(lines.join(''));
  });
});
