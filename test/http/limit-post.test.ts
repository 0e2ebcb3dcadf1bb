// limit-post against a real listener on 127.0.0.1 port 0: declared and chunked bodies over the limit get 413, and the app never reads past it.
import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFrontEnd, type FrontEnd } from '../../src/http/front-end.ts';
import { createPipeline } from '../../src/http/pipeline.ts';
import type { NodeHandler } from '../../src/app/types.ts';
import { memoryLogger } from '../memory-logger.ts';

const LIMIT = 100 * 1024;
let frontEnd: FrontEnd | undefined;
afterEach(async () => {
  await frontEnd?.drain();
  frontEnd = undefined;
});

/** What the app saw of each request body: bytes read, and the error that ended it, if any. */
interface Seen {
  bytes: number;
  error?: string;
}

async function start() {
  const memory = memoryLogger({ worker: 1 });
  const seen: Seen[] = [];
  const app: NodeHandler = async (req, res) => {
    const record: Seen = { bytes: 0 };
    seen.push(record);
    try {
      for await (const chunk of req) record.bytes += (chunk as Buffer).length;
    } catch (error) {
      record.error = (error as Error).message;
      throw error;
    }
    res.end(`read ${record.bytes}`);
  };
  frontEnd = await startFrontEnd([{ kind: 'tcp', host: '127.0.0.1', port: 0, text: '127.0.0.1:0' }], (isDraining) =>
    createPipeline({
      log: memory.log,
      lines: memory.sink,
      idPrefix: 'w1',
      serveStatic: undefined,
      app,
      isDraining,
      limitPost: LIMIT,
    }),
  );
  return { port: Number(frontEnd.addresses[0]!.split(':')[1]), seen, lines: memory.lines };
}

/** Sends `total` bytes in 16 KiB chunks (chunked unless `declared`); resolves with the status and body, ignoring write errors once answered. */
function send(port: number, total: number, declared: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = declared
      ? { 'content-length': total }
      : { 'transfer-encoding': 'chunked' };
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/upload', headers });
    let answered = false;
    req.on('response', (res: IncomingMessage) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(16 * 1024, 97);
    let sent = 0;
    const pump = () => {
      while (sent < total && !answered) {
        const size = Math.min(chunk.length, total - sent);
        sent += size;
        if (!req.write(chunk.subarray(0, size))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('limit-post', () => {
  it('passes bodies up to the limit, declared or chunked, whole', async () => {
    const { port, seen } = await start();
    expect(await send(port, LIMIT, true)).toEqual({ status: 200, body: `read ${LIMIT}` });
    expect(await send(port, LIMIT, false)).toEqual({ status: 200, body: `read ${LIMIT}` });
    expect(seen.map((s) => s.bytes)).toEqual([LIMIT, LIMIT]);
  }, 10_000);

  it('answers 413 to a declared length over the limit without calling the app', async () => {
    const { port, seen, lines } = await start();
    const answer = await send(port, 4 * 1024 * 1024, true);
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('limit-post');
    expect(seen).toEqual([]);
    expect(lines.find((line) => line.msg === 'request')?.status).toBe(413);
  }, 10_000);

  it('answers 413 to `Expect: 100-continue` with a length over the limit, without 100 Continue; a smaller one gets 100 Continue', async () => {
    const { port, seen } = await start();
    const ask = (length: number) =>
      new Promise<{ continued: boolean; status: number }>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: '/',
          headers: { 'content-length': length, expect: '100-continue' },
        });
        let continued = false;
        req.on('continue', () => {
          continued = true;
          req.end(Buffer.alloc(length));
        });
        req.on('response', (res) => {
          res.resume();
          resolve({ continued, status: res.statusCode ?? 0 });
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    expect(await ask(LIMIT + 1)).toEqual({ continued: false, status: 413 });
    expect(await ask(10)).toEqual({ continued: true, status: 200 });
    expect(seen.map((s) => s.bytes)).toEqual([10]);
  }, 10_000);

  it('answers 413 to a chunked body once it passes the limit; the app reads no byte past it and its read fails', async () => {
    const { port, seen, lines } = await start();
    const answer = await send(port, 4 * 1024 * 1024, false);
    expect(answer.status).toBe(413);
    await expect.poll(() => seen[0]?.error).toContain('limit-post');
    expect(seen[0]!.bytes).toBeLessThanOrEqual(LIMIT);
    // The app's failure is the client's doing: no error line for it.
    expect(lines.filter((line) => line.level === 50)).toEqual([]);
  }, 10_000);
});
