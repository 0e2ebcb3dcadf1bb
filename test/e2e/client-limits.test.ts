// End to end: slow and greedy HTTP/1.x clients (issue 15). Each timeout and limit, set small, bites a raw client on 127.0.0.1 (plain HTTP, and HTTPS with HTTP/1.1) with its status, a closed connection and a log line, while a good client on another connection is served; and a slowloris of 2,000 connections leaves a good client its normal latency.
import { Agent, request } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCorral, stopAll, type LogLine, type Running } from './harness.ts';
import { makeTestCa } from './tls-fixtures.ts';

const APP = fileURLToPath(new URL('../apps/hostile/app.mjs', import.meta.url));

afterAll(stopAll);

const portOf = (address: string) => Number(address.slice(address.lastIndexOf(':') + 1));

interface Exchange {
  /** The first line corral answered, '' when none. */
  status: string;
  /** Everything read. */
  text: string;
  /** Milliseconds from connect to the connection's close. */
  ms: number;
  /** Whether corral closed it (false: the test gave up waiting). */
  closed: boolean;
}

interface Client {
  socket: Socket;
  /** Resolves once the connection closes, or after `maxMs` (then `closed` is false and the socket is destroyed). */
  done(maxMs?: number): Promise<Exchange>;
}

/** Opens a raw connection (TLS with ALPN http/1.1 when `tls`) and writes `first` once connected. */
function open(
  port: number,
  first: string | Buffer = '',
  options: { tls?: boolean; localAddress?: string } = {},
): Client {
  const started = performance.now();
  const socket: Socket =
    options.tls === true
      ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
          if (first.length > 0) socket.write(first);
        })
      : netConnect({ port, host: '127.0.0.1', localAddress: options.localAddress }, () => {
          if (first.length > 0) socket.write(first);
        });
  let text = '';
  let closedAt: number | undefined;
  socket.setEncoding('latin1').on('data', (d: string) => (text += d));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      closedAt = performance.now();
      resolve();
    }),
  );
  return {
    socket,
    async done(maxMs = 5000) {
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, maxMs))]);
      const wasClosed = closedAt !== undefined;
      if (!wasClosed) socket.destroy();
      return {
        status: text.split('\r\n')[0] ?? '',
        text,
        ms: Math.round((closedAt ?? performance.now()) - started),
        closed: wasClosed,
      };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET / on a fresh connection (no keep-alive): resolves with the status and the milliseconds it took. */
function good(port: number, agent?: Agent): Promise<{ status: number; ms: number; worker: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: agent ?? false }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          worker: String(res.headers['x-worker']),
        }),
      );
    });
    req.setTimeout(5000, () => req.destroy(new Error('the good client timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** The first refusal line of `limit` (the rate-limited line each worker writes at its first refusal of a kind). */
const refusal = (corral: Running, limit: string) =>
  corral.waitFor((line: LogLine) => line.level === 'warn' && line.limit === limit, 5000);

describe('timeouts and head limits, plain HTTP, 2 workers', () => {
  let corral: Running;
  let port: number;
  beforeAll(async () => {
    corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      APP,
      '--processes',
      '2',
      '--client-header-timeout',
      '1',
      '--client-body-timeout',
      '1',
      '--send-timeout',
      '1',
      '--keepalive-timeout',
      '1',
      '--limit-request-line',
      '100',
      '--limit-request-fields',
      '5',
      '--limit-request-field-size',
      '60',
      '--max-header-size',
      '2K',
    ]);
    port = portOf(corral.url);
  });

  it('client-header-timeout: a head trickled byte by byte gets 408 and a closed connection; a good client is served meanwhile', async () => {
    const slow = open(port, 'GET / HTTP/1.1\r\n');
    const trickle = setInterval(() => slow.socket.write('X'), 200);
    const silent = open(port);
    expect((await good(port)).status).toBe(200);
    const [trickled, quiet] = await Promise.all([slow.done(), silent.done()]);
    clearInterval(trickle);
    for (const exchange of [trickled, quiet]) {
      expect(exchange.status).toBe('HTTP/1.1 408 Request Timeout');
      expect(exchange.closed).toBe(true);
      // 1 s, checked every 250 ms.
      expect(exchange.ms).toBeGreaterThanOrEqual(900);
      expect(exchange.ms).toBeLessThan(3000);
    }
    const line = await refusal(corral, 'client-header-timeout');
    expect(line).toMatchObject({ refused: 1, peer: '127.0.0.1' });
    expect(line.msg).toContain('answered 408');
  });

  it('client-body-timeout: a body that stalls gets 408 and a closed connection; one that keeps coming is read', async () => {
    const stalled = open(port, 'POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc');
    // 10 bytes every 300 ms: 3 s in all, three times the timeout, and never 1 s without a byte.
    const steady = open(port, 'POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\n');
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < 100) steady.socket.write('y'.repeat(10));
      sent += 10;
    }, 300);
    const cut = await stalled.done();
    expect(cut.status).toBe('HTTP/1.1 408 Request Timeout');
    expect(cut.closed).toBe(true);
    expect(cut.ms).toBeLessThan(3000);
    const read = await steady.done(8000);
    clearInterval(drip);
    expect(read.status).toBe('HTTP/1.1 200 OK');
    expect(read.text).toContain('read 100 bytes');
    expect(await refusal(corral, 'client-body-timeout')).toMatchObject({ limit: 'client-body-timeout' });
    // The 408 is in the access log too.
    await corral.waitFor((line) => line.msg === 'request' && line.path === '/body' && line.status === 408);
  });

  it('keepalive-timeout: an idle keep-alive connection is closed (node:http adds 1 s), a busy one lives on', async () => {
    const idle = open(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const busy = open(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const again = setInterval(() => busy.socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 500);
    const closed = await idle.done();
    expect(closed.status).toBe('HTTP/1.1 200 OK');
    expect(closed.text).toContain('Keep-Alive: timeout=1');
    expect(closed.closed).toBe(true);
    expect(closed.ms).toBeGreaterThanOrEqual(1500);
    expect(closed.ms).toBeLessThan(3500);
    // The busy one answered every request, and is still open after 2.5 s.
    await sleep(500);
    clearInterval(again);
    expect(busy.socket.destroyed).toBe(false);
    const answered = (await busy.done(100)).text.split('HTTP/1.1 200 OK').length - 1;
    expect(answered).toBeGreaterThanOrEqual(4);
  });

  it('send-timeout: a client that stops reading a 16 MiB response is cut off and the response freed', async () => {
    const reader = open(port, 'GET /big HTTP/1.1\r\nHost: x\r\n\r\n');
    reader.socket.pause();
    const line = await refusal(corral, 'send-timeout');
    expect(line.msg).toContain('response freed');
    // The response closed on corral's side: its access line is written (so it left the in-flight list).
    await corral.waitFor((l) => l.msg === 'request' && l.path === '/big', 3000);
    expect((await good(port)).status).toBe(200);
    // What the client finds when it reads again: far less than the 16 MiB, then the end of the connection.
    reader.socket.resume();
    const cut = await reader.done();
    expect(cut.closed).toBe(true);
    expect(cut.text.length).toBeLessThan(16 << 20);
  });

  it('limit-request-line: 414; limit-request-fields and limit-request-field-size: 431; each closes the connection', async () => {
    const cases = [
      {
        head: `GET /${'a'.repeat(120)} HTTP/1.1\r\nHost: x\r\n\r\n`,
        status: '414 URI Too Long',
        limit: 'limit-request-line',
      },
      {
        head: `GET / HTTP/1.1\r\nHost: x\r\n${'a: b\r\n'.repeat(5)}\r\n`,
        status: '431 Request Header Fields Too Large',
        limit: 'limit-request-fields',
      },
      {
        head: `GET / HTTP/1.1\r\nHost: x\r\ncookie: ${'c'.repeat(60)}\r\n\r\n`,
        status: '431 Request Header Fields Too Large',
        limit: 'limit-request-field-size',
      },
      {
        head: `GET / HTTP/1.1\r\nHost: x\r\n${'cookie: 0123456789012345678901234567890123456789\r\n'.repeat(60)}\r\n`,
        status: '431 Request Header Fields Too Large',
        limit: 'max-header-size',
      },
    ];
    for (const { head, status, limit } of cases) {
      const exchange = await open(port, head).done();
      expect(exchange.status, limit).toBe(`HTTP/1.1 ${status}`);
      expect(exchange.closed, limit).toBe(true);
      expect(exchange.ms, limit).toBeLessThan(1000);
      expect(await refusal(corral, limit)).toMatchObject({ limit, peer: '127.0.0.1' });
    }
    // At the limits: served.
    const atLimits = await open(
      port,
      `GET /${'a'.repeat(100 - 15)} HTTP/1.1\r\nHost: x\r\n${'a: b\r\n'.repeat(3)}Connection: close\r\n\r\n`,
    ).done();
    expect(atLimits.status).toBe('HTTP/1.1 200 OK');
  });

  it('no worker died', async () => {
    expect(corral.logs.filter((line) => line.msg === 'worker ready')).toHaveLength(2);
    expect(corral.child.exitCode).toBe(null);
  });
});

describe('connection caps, 1 worker', () => {
  it('max-connections: the connection over the cap is closed at once, with a log line; a freed slot takes the next', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      APP,
      '--processes',
      '1',
      '--max-connections',
      '5',
    ]);
    const port = portOf(corral.url);
    const held = Array.from({ length: 5 }, () => open(port));
    await sleep(200);
    const over = await open(port).done(2000);
    expect(over.closed).toBe(true);
    expect(over.text).toBe('');
    expect(over.ms).toBeLessThan(1000);
    expect(await refusal(corral, 'max-connections')).toMatchObject({ refused: 1 });
    held[0]!.socket.destroy();
    await sleep(200);
    expect((await good(port)).status).toBe(200);
    for (const client of held) client.socket.destroy();
  });

  it('max-connections-per-ip: an address past its cap is refused, another address is not, a trusted proxy is exempt', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      APP,
      '--processes',
      '1',
      '--max-connections-per-ip',
      '3',
      '--forwarded-allow-ips',
      '127.0.0.3',
    ]);
    const port = portOf(corral.url);
    const held = Array.from({ length: 3 }, () => open(port, '', { localAddress: '127.0.0.1' }));
    await sleep(200);
    const over = await open(port, '', { localAddress: '127.0.0.1' }).done(2000);
    expect(over.closed).toBe(true);
    expect(over.ms).toBeLessThan(1000);
    const line = await refusal(corral, 'max-connections-per-ip');
    expect(line).toMatchObject({ refused: 1, peer: '127.0.0.1' });
    // Another client address is served; the trusted proxy holds more connections than the cap.
    const other = await open(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', {
      localAddress: '127.0.0.2',
    }).done();
    expect(other.status).toBe('HTTP/1.1 200 OK');
    const proxy = Array.from({ length: 5 }, () =>
      open(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { localAddress: '127.0.0.3' }),
    );
    for (const exchange of await Promise.all(proxy.map((client) => client.done()))) {
      expect(exchange.status).toBe('HTTP/1.1 200 OK');
    }
    for (const client of held) client.socket.destroy();
  });
});

describe('HTTPS with HTTP/1.1 (the fallback of an HTTP/2 listener)', () => {
  it('gets the same head timeout (also for a TLS handshake that never starts) and head limits', async () => {
    const ca = makeTestCa();
    const corral = await startCorral([
      '--https',
      `127.0.0.1:0,${ca.certFile},${ca.keyFile}`,
      '--module',
      APP,
      '--processes',
      '1',
      '--client-header-timeout',
      '1',
      '--limit-request-line',
      '100',
    ]);
    const ready = await corral.waitFor((line) => line.msg === 'ready');
    const port = portOf((ready.addresses as string[])[0]!);
    const [head, handshake, line, served] = await Promise.all([
      open(port, 'GET / HTTP/1.1\r\nHost: x\r\n', { tls: true }).done(),
      open(port).done(),
      open(port, `GET /${'a'.repeat(120)} HTTP/1.1\r\nHost: x\r\n\r\n`, { tls: true }).done(),
      open(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { tls: true }).done(),
    ]);
    expect(head.status).toBe('HTTP/1.1 408 Request Timeout');
    expect(head.ms).toBeLessThan(3000);
    // A TCP connection that never says hello is closed after client-header-timeout (node:tls's own: 120 s).
    expect(handshake.closed).toBe(true);
    expect(handshake.ms).toBeLessThan(3000);
    expect(line.status).toBe('HTTP/1.1 414 URI Too Long');
    expect(served.status).toBe('HTTP/1.1 200 OK');
    await refusal(corral, 'client-header-timeout');
    await refusal(corral, 'limit-request-line');
  });
});

describe('sticky-sessions (the master hands each connection to a worker)', () => {
  it('times out a head on a handed-over connection too (node:http starts that timer when its server listens)', async () => {
    const corral = await startCorral([
      '--http',
      '127.0.0.1:0',
      '--module',
      APP,
      '--processes',
      '2',
      '--sticky-sessions',
      '--client-header-timeout',
      '1',
    ]);
    const port = portOf(corral.url);
    const [silent, served] = await Promise.all([
      open(port).done(),
      open(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n').done(),
    ]);
    expect(silent.status).toBe('HTTP/1.1 408 Request Timeout');
    expect(silent.ms).toBeLessThan(3000);
    expect(served.status).toBe('HTTP/1.1 200 OK');
  });
});

describe('slowloris: 2,000 connections trickling their heads', () => {
  it('leave a good client on keep-alive its normal latency (p99 under 250 ms, or 5x its own before, over 200 requests), and no worker dies', async () => {
    // Defaults (client-header-timeout 30 s, max-connections 4096 per worker): the trickling connections stay open
    // for the whole test; 127.0.0.1 is a trusted proxy by default, so max-connections-per-ip leaves them be too.
    const corral = await startCorral(['--http', '127.0.0.1:0', '--module', APP, '--processes', '2']);
    const port = portOf(corral.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const latencies = async (count: number) => {
      const ms: number[] = [];
      const workers = new Set<string>();
      for (let i = 0; i < count; i++) {
        const res = await good(port, agent);
        expect(res.status).toBe(200);
        ms.push(res.ms);
        workers.add(res.worker);
      }
      ms.sort((a, b) => a - b);
      return { p50: ms[Math.floor(count * 0.5)]!, p99: ms[Math.floor(count * 0.99)]!, workers };
    };
    const before = await latencies(200);

    const attackers: Client[] = [];
    for (let i = 0; i < 2000; i++) {
      attackers.push(open(port, 'GET / HTTP/1.1\r\nHost: x\r\n'));
      if (i % 200 === 199) await sleep(20);
    }
    await sleep(300);
    // One header byte per connection per second, spread over the second (200 writes every 100 ms).
    let next = 0;
    const trickle = setInterval(() => {
      for (let i = 0; i < 200; i++) attackers[(next + i) % attackers.length]!.socket.write('X');
      next = (next + 200) % attackers.length;
    }, 100);
    const during = await latencies(200);
    clearInterval(trickle);
    const open_ = attackers.filter((client) => !client.socket.destroyed).length;
    for (const client of attackers) client.socket.destroy();
    agent.destroy();

    console.log(
      `slowloris: good client p50 ${before.p50.toFixed(2)} ms, p99 ${before.p99.toFixed(2)} ms before; ` +
        `p50 ${during.p50.toFixed(2)} ms, p99 ${during.p99.toFixed(2)} ms with ${open_} trickling connections open`,
    );
    expect(open_).toBe(2000);
    // Measured quiet: p99 5-10 ms before, 2.5-45 ms during. The bound leaves room for a CI machine running other
    // suites beside this one (once 73 ms); a worker held by the trickling connections would take seconds.
    expect(during.p99).toBeLessThan(Math.max(250, before.p99 * 5));
    expect(corral.logs.filter((line) => line.msg === 'worker ready')).toHaveLength(2);
    expect(corral.logs.some((line) => line.level === 'error' || line.level === 'fatal')).toBe(false);
    expect(corral.child.exitCode).toBe(null);
  }, 60_000);
});
