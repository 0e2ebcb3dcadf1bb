// End to end: HTTP/2 clients that do too much (rapid reset, too many streams, a header list past the limit, PING and SETTINGS floods) lose their session, and a good client on another session keeps being served by the same worker.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR, getRequest, headersFrame, ping, rapidReset, rawH2, settingsFrame, type RawH2 } from './h2-frames.ts';
import { startCorral, stopAll, type LogLine, type Running } from './harness.ts';
import { h2Request, makeTestCa, type TestCa } from './tls-fixtures.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/e2e/${path}`, import.meta.url));
const portOf = (address: string) => Number(address.slice(address.lastIndexOf(':') + 1));

afterAll(stopAll);

/** The limits these tests run with: smaller than the defaults, so that each attack is short. */
const MAX_STREAMS = 20;
const MAX_RESETS = 50;
const MAX_CONTROL = 40;

describe('HTTP/2 limits and floods (one worker, so the attacker and the good client share its event loop)', () => {
  let ca: TestCa;
  let corral: Running;
  let port: number;
  let origin: string;
  beforeAll(async () => {
    ca = makeTestCa();
    corral = await startCorral([
      '--https',
      `127.0.0.1:0,${ca.certFile},${ca.keyFile}`,
      '--http',
      '127.0.0.1:0',
      '--module',
      fixture('h2/listener.mjs'),
      '--processes',
      '1',
      '--http2-max-concurrent-streams',
      String(MAX_STREAMS),
      '--http2-max-header-list-size',
      '8K',
      '--http2-max-resets',
      String(MAX_RESETS),
      '--http2-max-control-frames',
      String(MAX_CONTROL),
    ]);
    const ready = await corral.waitFor((line) => line.msg === 'ready');
    // The http listener comes first, then the https one.
    port = portOf((ready.addresses as string[])[1]!);
    origin = `https://localhost:${port}`;
  }, 30_000);

  /** Every line the master logged about a worker that died; none is expected. */
  const deaths = () => corral.logs.filter((line) => line.msg === 'worker died: replacing it');
  /** The refusal log's first line for an HTTP/2 check. */
  const closedFor = (limit: string) => (line: LogLine) => line.limit === limit && line.refused === 1;

  /** A good client on its own session, asking one request after another until `done()`: counts answers and failures. */
  function goodClient() {
    let stop = false;
    const stats = { ok: 0, failed: [] as unknown[] };
    const run = (async () => {
      while (!stop) {
        try {
          const res = await h2Request(origin, ca.caPem, '/hello?q=good');
          if (res.status === 200) stats.ok++;
          else stats.failed.push(res.status);
        } catch (err) {
          stats.failed.push(err);
        }
      }
    })();
    return {
      stats,
      done: async () => {
        stop = true;
        await run;
        return stats;
      },
    };
  }

  it('sends the limits in its SETTINGS', async () => {
    const client = await rawH2(port, ca.caPem);
    await client.until((r) => r.settings.size > 0);
    client.close();
    expect(client.received.settings.get(3)).toBe(MAX_STREAMS); // SETTINGS_MAX_CONCURRENT_STREAMS
    expect(client.received.settings.get(6)).toBe(8192); // SETTINGS_MAX_HEADER_LIST_SIZE
  });

  it('closes a rapid-reset session with GOAWAY ENHANCE_YOUR_CALM while a good client is served', async () => {
    const good = goodClient();
    const attacker = await rawH2(port, ca.caPem);
    await rapidReset(attacker, `localhost:${port}`, 5000, 50, '/attack');
    await attacker.until((r) => r.closed);
    const stats = await good.done();
    goawayIfRead(attacker, ERROR.ENHANCE_YOUR_CALM);
    // The streams that reached the app (each has its access line): the budget and what was read with the last of it,
    // far fewer than the 1,000 nghttp2's own limit lets through (then it sends GOAWAY but keeps the connection).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const reached = corral.logs.filter((l) => l.msg === 'request' && l.path === '/attack').length;
    expect(reached).toBeGreaterThan(MAX_RESETS);
    expect(reached).toBeLessThan(500);
    const line = await corral.waitFor(closedFor('http2-max-resets'));
    expect(line.peer).toBe('127.0.0.1');
    expect(line.resets).toBeGreaterThan(MAX_RESETS);
    expect(line.http2MaxResets).toBe(MAX_RESETS);
    expect(stats.failed).toEqual([]);
    expect(stats.ok).toBeGreaterThan(0);
    expect(deaths()).toEqual([]);
  });

  it('refuses the next connections of an address it closed a session of (abuse-ban), never a trusted one', async () => {
    // 127.0.0.1 is a trusted proxy (forwarded-allow-ips' default): the attacker comes from another loopback address.
    const attacker = await rawH2(port, ca.caPem, '127.0.0.1', '127.0.0.2');
    await rapidReset(attacker, `localhost:${port}`, 5000, 50, '/attack');
    await attacker.until((r) => r.closed);
    await expect(rawH2(port, ca.caPem, '127.0.0.1', '127.0.0.2')).rejects.toThrow();
    const banned = await corral.waitFor((line) => line.limit === 'abuse-ban' && line.refused === 1);
    expect(banned.peer).toBe('127.0.0.2');
    // The earlier test's attacker came from 127.0.0.1: still served.
    expect((await h2Request(origin, ca.caPem, '/hello')).status).toBe(200);
    expect(deaths()).toEqual([]);
  });

  it('lets a client cancel streams as long as it lets as many finish', async () => {
    const client = await rawH2(port, ca.caPem);
    const block = getRequest(`localhost:${port}`, '/hello');
    // 3 x MAX_RESETS cancelled streams, each after a stream that finished: never more than the budget ahead.
    for (let round = 0; round < 3 * MAX_RESETS; round++) {
      const ok = client.nextStreamId();
      client.send(headersFrame(ok, block));
      await client.until((r) => r.ended.has(ok) || r.closed);
      await rapidReset(client, `localhost:${port}`, 1, 1, '/hello');
    }
    const last = client.nextStreamId();
    client.send(headersFrame(last, block));
    await client.until((r) => r.ended.has(last) || r.closed);
    client.close();
    expect(client.received.goaway).toBeUndefined();
    expect(client.received.ended.has(last)).toBe(true);
  });

  it('refuses streams past the limit opened before the client knew it (REFUSED_STREAM), and serves the rest', async () => {
    const client = await rawH2(port, ca.caPem);
    // Sent at once with the preface: the server's SETTINGS are not acknowledged yet, as for a client racing ahead.
    const block = getRequest(`localhost:${port}`, '/hello');
    const ids = Array.from({ length: MAX_STREAMS + 10 }, () => client.nextStreamId());
    client.send(Buffer.concat(ids.map((id) => headersFrame(id, block))));
    await client.until((r) => ids.every((id) => r.ended.has(id) || r.resets.has(id)));
    const refused = ids.filter((id) => client.received.resets.get(id) === ERROR.REFUSED_STREAM);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(ids.filter((id) => client.received.ended.has(id)).length).toBe(ids.length - refused.length);
    // The connection survives: a new stream is served.
    const next = client.nextStreamId();
    client.send(headersFrame(next, block));
    await client.until((r) => r.ended.has(next));
    expect(client.received.goaway).toBeUndefined();
    client.close();
  });

  it('ends the session of a client that opens more streams than it acknowledged (GOAWAY PROTOCOL_ERROR from nghttp2)', async () => {
    const good = goodClient();
    const client = await rawH2(port, ca.caPem);
    await client.until((r) => r.settings.size > 0 && r.settingsAcks > 0);
    // All in one write: nghttp2 takes them in one read, before any of their responses can finish.
    const block = getRequest(`localhost:${port}`, '/hello');
    client.send(
      Buffer.concat(Array.from({ length: 4 * MAX_STREAMS }, () => headersFrame(client.nextStreamId(), block))),
    );
    await client.until((r) => r.closed);
    const stats = await good.done();
    // Node 20's nghttp2 resets a stream with INTERNAL_ERROR and closes; Node 26's sends GOAWAY PROTOCOL_ERROR first.
    if (client.received.goaway !== undefined) expect(client.received.goaway.errorCode).toBe(ERROR.PROTOCOL_ERROR);
    expect(stats.failed).toEqual([]);
    expect(deaths()).toEqual([]);
  });

  it('resets a stream whose header list is past the limit (ENHANCE_YOUR_CALM); the connection lives on', async () => {
    const client = await rawH2(port, ca.caPem);
    await client.until((r) => r.settingsAcks > 0);
    const big = client.nextStreamId();
    client.send(headersFrame(big, getRequest(`localhost:${port}`, '/hello', [['x-big', 'a'.repeat(10_000)]])));
    await client.until((r) => r.resets.has(big) || r.ended.has(big) || r.closed);
    expect(client.received.resets.get(big)).toBe(ERROR.ENHANCE_YOUR_CALM);
    const small = client.nextStreamId();
    client.send(headersFrame(small, getRequest(`localhost:${port}`, '/hello', [['x-small', 'a'.repeat(4000)]])));
    await client.until((r) => r.ended.has(small) || r.closed);
    expect(client.received.ended.has(small)).toBe(true);
    client.close();
  });

  /**
   * A flooding client still writing when the server closes may never read the GOAWAY: the server's kernel answers
   * the unread data with a TCP reset, and the client's kernel drops what it had not read yet. When it did arrive,
   * its code is checked.
   */
  function goawayIfRead(client: RawH2, code: number): void {
    expect(client.received.closed).toBe(true);
    if (client.received.goaway !== undefined) expect(client.received.goaway.errorCode).toBe(code);
  }

  async function flood(make: (n: number) => Buffer): Promise<{ client: RawH2; sent: number }> {
    const client = await rawH2(port, ca.caPem);
    let sent = 0;
    while (sent < 100_000 && !client.received.closed && client.received.goaway === undefined) {
      const frames: Buffer[] = [];
      for (let i = 0; i < 100; i++) frames.push(make(sent++));
      client.send(Buffer.concat(frames));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await client.until((r) => r.closed);
    return { client, sent };
  }

  it('ends the session of a PING flood, while a good client is served', async () => {
    const good = goodClient();
    const { client, sent } = await flood(ping);
    const stats = await good.done();
    goawayIfRead(client, ERROR.ENHANCE_YOUR_CALM);
    expect(sent).toBeLessThan(100_000);
    // corral's check closed it (not nghttp2's limit on ACKs the client leaves unread, which logs nothing).
    const line = await corral.waitFor(closedFor('http2-ping-flood'));
    expect(line.http2MaxControlFrames).toBe(MAX_CONTROL);
    expect(line.frames).toBeGreaterThan(MAX_CONTROL);
    expect(stats.failed).toEqual([]);
    expect(deaths()).toEqual([]);
  });

  it('ends the session of a SETTINGS flood', async () => {
    const { client, sent } = await flood(settingsFrame);
    goawayIfRead(client, ERROR.ENHANCE_YOUR_CALM);
    expect(sent).toBeLessThan(100_000);
    const line = await corral.waitFor(closedFor('http2-settings-flood'));
    // The client's first SETTINGS counts too.
    expect(line.frames).toBeGreaterThan(MAX_CONTROL);
    expect(deaths()).toEqual([]);
  });

  it('lets a client ping now and then', async () => {
    const client = await rawH2(port, ca.caPem);
    for (let i = 0; i < MAX_CONTROL / 2; i++) client.send(ping(i));
    await client.until((r) => r.pingAcks === MAX_CONTROL / 2);
    expect(client.received.goaway).toBeUndefined();
    client.close();
  });

  it('still serves HTTP/2 and logged no worker death', async () => {
    const res = await h2Request(origin, ca.caPem, '/hello?q=after');
    expect(res.status).toBe(200);
    expect(deaths()).toEqual([]);
    expect(corral.logs.filter((line) => line.level === 'fatal' || line.msg === 'uncaught exception')).toEqual([]);
  });
});
