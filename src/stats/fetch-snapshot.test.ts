// Tests fetchSnapshot against real listeners on 127.0.0.1 and a unix socket: the bearer token, and each way of not getting a snapshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { ListenAddress } from '../config/types.ts';
import { fetchSnapshot, StatsUnreachable } from './fetch-snapshot.ts';
import { snapshotFixture } from './snapshot-fixture.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serveOn(
  listen: { port: number; host: string } | { path: string },
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Server> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(listen, resolve));
  return server;
}

const tcp = (server: Server): ListenAddress => {
  const { port } = server.address() as AddressInfo;
  return { kind: 'tcp', host: '127.0.0.1', port, text: `127.0.0.1:${port}` };
};

test('reads /stats.json and sends the stats-token as a bearer token', async () => {
  const seen: Array<string | undefined> = [];
  const server = await serveOn({ port: 0, host: '127.0.0.1' }, (req, res) => {
    seen.push(`${req.url} ${req.headers.authorization}`);
    res.end(JSON.stringify(snapshotFixture()));
  });
  expect((await fetchSnapshot(tcp(server), 'a-token-of-16-chars')).pid).toBe(4000);
  expect(seen).toEqual(['/stats.json Bearer a-token-of-16-chars']);
});

test('reaches a wildcard address on loopback, and a unix socket', async () => {
  const server = await serveOn({ port: 0, host: '127.0.0.1' }, (_req, res) =>
    res.end(JSON.stringify(snapshotFixture())),
  );
  const { port } = server.address() as AddressInfo;
  const wildcard: ListenAddress = { kind: 'tcp', host: '0.0.0.0', port, text: `0.0.0.0:${port}` };
  expect((await fetchSnapshot(wildcard)).version).toBe('0.1.0');

  const dir = mkdtempSync(join(tmpdir(), 'corral-fetch-'));
  try {
    const path = join(dir, 'stats.sock');
    await serveOn({ path }, (_req, res) => res.end(JSON.stringify(snapshotFixture())));
    expect((await fetchSnapshot({ kind: 'unix', path, text: `unix:${path}` })).workers).toHaveLength(2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a refusal, a body that is not JSON, no listener and no answer are StatsUnreachable, naming the address', async () => {
  const refusing = await serveOn({ port: 0, host: '127.0.0.1' }, (_req, res) =>
    res.writeHead(403).end('the stats address answers only this machine\n'),
  );
  await expect(fetchSnapshot(tcp(refusing))).rejects.toThrow(
    `no stats from ${tcp(refusing).text}: HTTP 403 (the stats address answers only this machine)`,
  );
  const html = await serveOn({ port: 0, host: '127.0.0.1' }, (_req, res) => res.end('<html>'));
  await expect(fetchSnapshot(tcp(html))).rejects.toThrow('the answer is not JSON');

  const closed = tcp(html);
  await new Promise((resolve) => {
    html.close(resolve);
    html.closeAllConnections();
  });
  servers.splice(servers.indexOf(html), 1);
  const refused = await fetchSnapshot(closed).catch((err: Error) => err.message);
  expect(refused).toBe(`no stats from ${closed.text}: ECONNREFUSED`);

  const silent = await serveOn({ port: 0, host: '127.0.0.1' }, () => {});
  const started = Date.now();
  const error = await fetchSnapshot(tcp(silent), undefined, 300).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(StatsUnreachable);
  expect((error as Error).message).toContain('no answer within 300 ms');
  expect(Date.now() - started).toBeLessThan(2000);
  silent.closeAllConnections();
});
