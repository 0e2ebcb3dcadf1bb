// The static path fuzz property through the real front end (node:http parsing, the request pipeline, static-map, check-static, static-safe) on 127.0.0.1.
//
// Each run prints its seed ("path fuzz (HTTP) seed: N"); replay a failure with
//
//     CORRAL_FUZZ_SEED=N npx vitest run --project unit test/static/path-fuzz.test.ts
//
// (CORRAL_FUZZ_PATH='…' as fast-check printed skips to the shrunk case; CORRAL_FUZZ_RUNS raises the count.)
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFrontEnd, type FrontEnd } from '../../src/http/front-end.ts';
import { createPipeline } from '../../src/http/pipeline.ts';
import { createStaticHandler } from '../../src/static/handler.ts';
import { memoryLogger } from '../memory-logger.ts';
import {
  createFuzzTree,
  FORBIDDEN,
  fuzzParameters,
  fuzzRuns,
  fuzzSeed,
  hostilePath,
  type FuzzTree,
} from './path-fuzz.ts';

const seed = fuzzSeed();
const runs = fuzzRuns(1_000);
console.log(`path fuzz (HTTP) seed: ${seed} (${runs} cases; replay with CORRAL_FUZZ_SEED=${seed})`);

const APP_BODY = 'answered by the app\n';

let tree: FuzzTree;
let frontEnd: FrontEnd;
let port: number;
let staticErrors: unknown[];

beforeAll(async () => {
  tree = createFuzzTree();
  const memory = memoryLogger({ worker: 1 });
  staticErrors = [];
  const serveStatic = createStaticHandler(tree.mounts, {
    checkStatic: tree.checkStatic,
    safe: tree.safe,
    onError: (error) => staticErrors.push(error),
  });
  frontEnd = await startFrontEnd([{ kind: 'tcp', host: '127.0.0.1', port: 0, text: '127.0.0.1:0' }], (isDraining) =>
    createPipeline({
      log: memory.log,
      lines: memory.sink,
      idPrefix: 'w1',
      serveStatic,
      app: (_req, res) => {
        res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(APP_BODY) });
        res.end(APP_BODY);
      },
      isDraining,
      disableLogging: true,
    }),
  );
  port = Number(frontEnd.addresses[0]?.split(':').pop());
});

afterAll(async () => {
  await frontEnd?.drain();
  tree?.remove();
});

interface RawReply {
  /** 0 when the connection closed with no status line. */
  status: number;
  head: string;
  body: Buffer;
}

/**
 * Sends `GET <target> HTTP/1.1` with the target's UTF-8 bytes as they are, and reads until the server closes.
 * Whitespace would end the request line (and CR/LF start headers), so those characters go percent-encoded.
 */
function send(target: string): Promise<RawReply> {
  const line = target.replace(/[ \t\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer within 5 s to ${JSON.stringify(target)}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A server that refuses a request line may reset the connection: that is a refusal, not a failure.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return;
      reject(err);
    });
    socket.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = (end === -1 ? all : all.subarray(0, end)).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: end === -1 ? Buffer.alloc(0) : all.subarray(end + 4) });
    });
    socket.write(
      Buffer.concat([
        Buffer.from('GET '),
        Buffer.from(line, 'utf8'),
        Buffer.from(' HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'),
      ]),
    );
  });
}

it('no request path, through the whole front end, gets a file from outside a root, a 5xx, or no answer', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(hostilePath, async (target) => {
      const reply = await send(target);
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const body = reply.body.toString('utf8');
      expect(reply.status, `${JSON.stringify(target)}: ${reply.head}`).toBeGreaterThanOrEqual(200);
      expect(reply.status, `${JSON.stringify(target)}: ${reply.head}`).toBeLessThan(500);
      expect(body, JSON.stringify(target)).not.toContain(FORBIDDEN);
      expect(body, JSON.stringify(target)).not.toMatch(/^root:/m); // /etc/passwd through link-fs-root
      if (reply.status === 200) expect(tree.allowedBodies.has(body), JSON.stringify(target)).toBe(true);
      if (reply.status === 301) {
        // A directory's slash redirect stays on this host.
        const location = /^location: (.*)$/im.exec(reply.head)?.[1] ?? '';
        expect(location, JSON.stringify(target)).toMatch(/^\/(?![/\\])/);
      }
    }),
    fuzzParameters(seed, runs),
  );
  console.log('path fuzz (HTTP) statuses:', Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
  expect(staticErrors).toEqual([]);
  expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  // Still serving after all that.
  expect((await send('/static/a.txt')).status).toBe(200);
});
