// keepalive-timeout as the front end's own look at its connections, against real listeners on 127.0.0.1 port 0 (plain, and TLS with HTTP/1.1 as the HTTP/2 server's fallback): an idle connection is closed after the timeout and node:http's second, never a silent new one, never one whose response is still coming.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientShield } from '../../src/http/client-shield.ts';
import { startFrontEnd, type FrontEnd } from '../../src/http/front-end.ts';
import { createPipeline } from '../../src/http/pipeline.ts';
import { refusalLog } from '../../src/http/refusal-log.ts';
import { makeTestCa, type TestCa } from '../e2e/tls-fixtures.ts';
import { testLimits, testListeners } from './wire-client.ts';

const KEEPALIVE_MS = 1000;
/** node:http's second on top of the timeout, which corral keeps. */
const CLOSES_AFTER_MS = KEEPALIVE_MS + 1000;

const limits = testLimits({ headerTimeoutMs: 10_000, keepAliveTimeoutMs: KEEPALIVE_MS, sendTimeoutMs: 10_000 });

let ca: TestCa;
let frontEnd: FrontEnd;
let plainPort = 0;
let tlsPort = 0;

beforeAll(async () => {
  ca = makeTestCa();
  const log = pino({ enabled: false });
  frontEnd = await startFrontEnd(
    testListeners(ca),
    (isDraining) =>
      createPipeline({
        log,
        lines: { writeLine: () => {}, bindingsJson: '' },
        idPrefix: 'w1',
        serveStatic: undefined,
        // /slow answers after 2.5 s: longer than the connection may stay idle, but a response is in flight.
        app: (req, res) => {
          if (req.url === '/slow') setTimeout(() => res.end('late'), CLOSES_AFTER_MS + 500);
          else res.end('ok');
        },
        isDraining,
      }),
    { shield: clientShield(limits, refusalLog(log), () => false) },
  );
  plainPort = Number(frontEnd.addresses[0]?.split(':').pop());
  tlsPort = Number(frontEnd.addresses[1]?.split(':').pop());
}, 20_000);

afterAll(async () => {
  await frontEnd?.drain();
});

interface Watched {
  socket: Socket;
  text: () => string;
  /** Resolves with the ms from `from()` to the close, or 'open' when the socket is still open after `waitMs`. */
  closedAfter(waitMs: number): Promise<number | 'open'>;
  /** Restarts the clock (after the response came). */
  from(): void;
}

function watch(socket: Socket): Watched {
  let text = '';
  let start = performance.now();
  let closedAt: number | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    closedAt = performance.now();
  });
  return {
    socket,
    text: () => text,
    from: () => {
      start = performance.now();
    },
    closedAfter: (waitMs) =>
      new Promise((resolve) => {
        const check = () => {
          if (closedAt !== undefined) resolve(closedAt - start);
          else if (performance.now() - start >= waitMs) resolve('open');
          else setTimeout(check, 20);
        };
        check();
      }),
  };
}

async function until(test: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!test()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const GET = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;

async function plain(): Promise<Watched> {
  const socket = netConnect(plainPort, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  return watch(socket);
}

async function secure(): Promise<Watched> {
  const socket = tlsConnect({
    port: tlsPort,
    host: '127.0.0.1',
    servername: 'localhost',
    ca: ca.caPem,
    ALPNProtocols: ['http/1.1'],
  });
  await new Promise((resolve) => socket.once('secureConnect', resolve));
  return watch(socket);
}

describe('keepalive-timeout, enforced by the front end', () => {
  it('plain HTTP: closes an idle connection after the timeout and a second; leaves a silent new one and a slow response alone', async () => {
    const [idle, silent, slow] = await Promise.all([plain(), plain(), plain()]);
    idle.socket.write(GET('/'));
    slow.socket.write(GET('/slow'));
    await until(() => idle.text().includes('\r\n\r\nok'));
    idle.from();
    silent.from();
    expect(idle.text()).toContain('Keep-Alive: timeout=1\r\n');
    const [idleMs, silentMs] = await Promise.all([idle.closedAfter(5000), silent.closedAfter(CLOSES_AFTER_MS + 700)]);
    // A look every quarter of the timeout: closed between the deadline and one look (and a loaded machine) later.
    expect(idleMs).toBeGreaterThanOrEqual(CLOSES_AFTER_MS - 20);
    expect(idleMs).toBeLessThan(CLOSES_AFTER_MS + 1500);
    // A connection that never sent a request is client-header-timeout's (10 s here), as in node:http.
    expect(silentMs).toBe('open');
    // The slow response came after the connection had been quiet for longer than the timeout.
    await until(() => slow.text().includes('late'));
    expect(slow.socket.destroyed).toBe(false);
    silent.socket.destroy();
    slow.socket.destroy();
  }, 15_000);

  it('TLS (HTTP/1.1 by ALPN): the same, counted from the first response, not from the handshake', async () => {
    const [idle, silent] = await Promise.all([secure(), secure()]);
    idle.socket.write(GET('/'));
    await until(() => idle.text().includes('\r\n\r\nok'));
    idle.from();
    silent.from();
    const [idleMs, silentMs] = await Promise.all([idle.closedAfter(5000), silent.closedAfter(CLOSES_AFTER_MS + 700)]);
    expect(idleMs).toBeGreaterThanOrEqual(CLOSES_AFTER_MS - 20);
    expect(idleMs).toBeLessThan(CLOSES_AFTER_MS + 1500);
    expect(silentMs).toBe('open');
    silent.socket.destroy();
  }, 15_000);

  it('keeps a connection that brings a request now and then', async () => {
    const busy = await plain();
    for (let i = 0; i < 5; i++) {
      busy.socket.write(GET('/'));
      await new Promise((resolve) => setTimeout(resolve, KEEPALIVE_MS / 2));
    }
    expect(busy.socket.destroyed).toBe(false);
    expect(busy.text().split('\r\n\r\nok').length - 1).toBe(5);
    busy.socket.destroy();
  }, 15_000);
});
