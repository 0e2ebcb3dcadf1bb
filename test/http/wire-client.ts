// Test helper: a raw HTTP/1.1 client for the fast path's tests, on a plain or a TLS listener, that sends bytes as they are (whole or in two pieces) and cuts what comes back into answers.
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { ClientLimits } from '../../src/config/types.ts';
import type { Listener } from '../../src/http/servers.ts';
import { tlsListener, type Http2Guard } from '../../src/http/tls-listeners.ts';
import { TlsState } from '../../src/http/tls.ts';
import type { TestCa } from '../e2e/tls-fixtures.ts';

/** Client limits with every one off but the timeouts given. */
export function testLimits(
  timeouts: Pick<ClientLimits, 'headerTimeoutMs' | 'keepAliveTimeoutMs' | 'sendTimeoutMs'>,
): ClientLimits {
  return {
    bodyTimeoutMs: 10_000,
    requestLine: 0,
    requestFields: 0,
    requestFieldSize: 0,
    headerSize: 0,
    connections: 0,
    connectionsPerIp: 0,
    abuseBanMs: 0,
    ...timeouts,
  };
}

/** A plain listener and an https one with `ca`'s certificate (HTTP/2, with `guard`'s checks when given), both on 127.0.0.1 port 0. */
export function testListeners(ca: TestCa, guard?: Http2Guard) {
  const tls = new TlsState(true);
  tls.apply({
    certificate: { cert: readFileSync(ca.certFile, 'utf8'), key: readFileSync(ca.keyFile, 'utf8') },
    http01: [],
    tlsAlpn01: [],
  });
  const https = { address: { kind: 'tcp', host: '127.0.0.1', port: 0, text: '127.0.0.1:0' } as const };
  return [
    { kind: 'tcp', host: '127.0.0.1', port: 0, text: '127.0.0.1:0' } as const,
    tlsListener(https, tls, true, guard),
  ] as [{ kind: 'tcp'; host: string; port: number; text: string }, Listener];
}

export interface Client {
  socket: Socket;
  /** Everything received so far, as latin1. */
  text(): string;
  closed(): boolean;
}

export interface Listeners {
  port: number;
  /** The TLS listener's port, its certificate's CA: for `secure` connections (HTTP/1.1 by ALPN). */
  tlsPort?: number;
  caPem?: string;
}

export interface ExchangeOptions {
  /** Sends the head in two pieces, 30 ms apart: the fast path then leaves it to node:http. */
  split?: boolean;
  /** How many answers to wait for (1). */
  count?: number;
  /** The request is a HEAD: its answer has no body. */
  head?: boolean;
  secure?: boolean;
}

export async function until(test: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!test()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The whole answers in `text`: each head and its body, by Content-Length or chunked to its last chunk; none for a 304
 * or for answer number n when `heads[n]` (a HEAD).
 */
export function answers(text: string, heads: boolean[] = []): string[] {
  const found: string[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end === -1) break;
    const fields = text.slice(at, end + 4);
    let stop = end + 4;
    if (heads[found.length] !== true && !fields.startsWith('HTTP/1.1 304')) {
      if (/\r\ntransfer-encoding: chunked/i.test(fields)) {
        const last = text.indexOf('\r\n0\r\n\r\n', end);
        if (last === -1) break;
        stop = last + 7;
      } else {
        const length = /\r\ncontent-length: (\d+)/i.exec(fields);
        stop += length === null ? 0 : Number(length[1]);
      }
    }
    if (stop > text.length) break;
    found.push(text.slice(at, stop));
    at = stop;
  }
  return found;
}

/** The answer without its Date field, which differs from one second to the next. */
export const withoutDate = (answer: string | undefined) => answer?.replace(/\r\nDate: [^\r]*/, '');

/** Opens connections to `listeners` and exchanges requests on them. */
export function wireClient(listeners: () => Listeners) {
  function open(secure = false): Promise<Client> {
    const { port, tlsPort, caPem } = listeners();
    return new Promise((resolve, reject) => {
      const socket = secure
        ? tlsConnect({
            port: tlsPort ?? 0,
            host: '127.0.0.1',
            servername: 'localhost',
            ca: caPem,
            ALPNProtocols: ['http/1.1'],
          })
        : connect(port, '127.0.0.1');
      let text = '';
      let closed = false;
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => (closed = true));
      socket.on('error', () => {});
      socket.once(secure ? 'secureConnect' : 'connect', () =>
        resolve({ socket, text: () => text, closed: () => closed }),
      );
      socket.once('error', reject);
    });
  }

  /** Sends `request` on a new connection, waits for its answers, closes the connection and returns them. */
  async function exchange(request: string, options: ExchangeOptions = {}): Promise<string[]> {
    const client = await open(options.secure);
    if (options.split === true) {
      client.socket.write(request.slice(0, 5));
      await new Promise((resolve) => setTimeout(resolve, 30));
      client.socket.write(request.slice(5));
    } else {
      client.socket.write(request);
    }
    const heads = [options.head === true];
    await until(() => answers(client.text(), heads).length >= (options.count ?? 1));
    client.socket.destroy();
    return answers(client.text(), heads);
  }

  return { open, exchange };
}
