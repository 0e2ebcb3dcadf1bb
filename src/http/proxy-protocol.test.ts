// Tests of proxy-protocol on real listeners (127.0.0.1, port 0): the client becomes the peer over HTTP, HTTPS and HTTP/2's HTTP/1.1 fallback; untrusted peers, garbage and slow headers are closed and logged.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLeaf, makeTestCa } from '../../test/e2e/tls-fixtures.ts';
import { acceptProxyHeaders, type ProxyHeaderRules } from './proxy-protocol.ts';
import type { RefusalKind } from './refusal-log.ts';

const LINE = 'PROXY TCP4 192.0.2.10 127.0.0.1 51000 8080\r\n';
const REQUEST = 'GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

function rules(trusted = true, timeoutMs = 2000) {
  const refused: { kind: RefusalKind; peer: string | undefined; detail: unknown }[] = [];
  const value: ProxyHeaderRules = {
    trusted: () => trusted,
    timeoutMs,
    refusals: { refused: (kind, peer, detail) => refused.push({ kind, peer, detail }) },
  };
  return { value, refused };
}

async function listening(server: Server, proxy: ProxyHeaderRules): Promise<number> {
  server.on('request', (req, res) => res.end(`${req.socket.remoteAddress}:${req.socket.remotePort} ${req.url}`));
  acceptProxyHeaders(server, proxy);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Sends `chunks` on a plain connection, each after a short pause; resolves with all that came back. */
function exchange(port: number, chunks: string[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', async () => {
      for (const chunk of chunks) {
        socket.write(chunk);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
  });
}

describe('proxy-protocol over HTTP', () => {
  it('makes the header`s client the peer, whether the header comes whole, in pieces or with the request', async () => {
    const port = await listening(createHttpServer(), rules().value);
    expect(await exchange(port, [LINE + REQUEST])).toContain('\r\n\r\n192.0.2.10:51000 /x');
    expect(await exchange(port, [LINE.slice(0, 9), LINE.slice(9) + REQUEST.slice(0, 6), REQUEST.slice(6)])).toContain(
      '192.0.2.10:51000 /x',
    );
    const v2Local = Buffer.from([
      0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, 0x20, 0, 0, 0,
    ]);
    expect(await exchange(port, [v2Local.toString('latin1') + REQUEST])).toMatch(/127\.0\.0\.1:\d+ \/x/);
  });

  it('closes unanswered, and logs, a peer outside forwarded-allow-ips, a request without header, and garbage', async () => {
    const untrusted = rules(false);
    const port = await listening(createHttpServer(), untrusted.value);
    expect(await exchange(port, [LINE + REQUEST])).toBe('');
    expect(untrusted.refused).toEqual([
      { kind: 'proxy-protocol', peer: '127.0.0.1', detail: { problem: 'a peer outside forwarded-allow-ips' } },
    ]);
    const trusted = rules();
    const other = await listening(createHttpServer(), trusted.value);
    expect(await exchange(other, [REQUEST])).toBe('');
    expect(await exchange(other, ['PROXY TCP4 nonsense\r\n', REQUEST])).toBe('');
    expect(trusted.refused.map((r) => r.detail)).toEqual([
      { problem: 'no PROXY protocol header' },
      { problem: 'a v1 line without its five fields' },
    ]);
  });

  it('closes a connection whose header does not come within client-header-timeout', async () => {
    const slow = rules(true, 200);
    const port = await listening(createHttpServer(), slow.value);
    const started = Date.now();
    expect(await exchange(port, ['PROXY TCP4 '])).toBe('');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(slow.refused.map((r) => r.detail)).toEqual([
      { problem: 'no complete PROXY header within client-header-timeout' },
    ]);
  });
});

describe('proxy-protocol before TLS', () => {
  it('reads the header before the handshake; node:https and node:http2 (HTTP/1.1) see the client', async () => {
    const ca = makeTestCa();
    const leaf = makeLeaf(ca.dir, 'localhost');
    const options = { cert: readFileSync(leaf.certFile), key: readFileSync(leaf.keyFile) };
    for (const server of [createHttpsServer(options), createSecureServer({ ...options, allowHTTP1: true })]) {
      const port = await listening(server as unknown as Server, rules().value);
      const answer = await new Promise<string>((resolve, reject) => {
        const raw = connect(port, '127.0.0.1', () => {
          raw.write(LINE);
          const secure = tlsConnect(
            { socket: raw, rejectUnauthorized: false, servername: 'localhost', ALPNProtocols: ['http/1.1'] },
            () => secure.write(REQUEST),
          );
          let received = '';
          secure.on('data', (chunk) => (received += chunk));
          secure.on('close', () => resolve(received));
          secure.on('error', reject);
        });
      });
      expect(answer).toContain('192.0.2.10:51000 /x');
    }
  });
});
