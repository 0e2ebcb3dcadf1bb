// Test helper: serves a corral NodeHandler on 127.0.0.1:0 behind the same error contract as the real pipeline.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeHandler } from '../../src/app/types.ts';

export interface Served {
  url: string;
  port: number;
  /** Errors the handler rejected with, in order. */
  errors: unknown[];
  close(): Promise<void>;
}

/** 500 when nothing was sent yet, destroy when headers already went out: what the caller promises adapters. */
export async function serve(handler: NodeHandler): Promise<Served> {
  const errors: unknown[] = [];
  const server = http.createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        errors.push(error);
        if (res.headersSent) res.destroy();
        else {
          res.statusCode = 500;
          res.end('internal error');
        }
      });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    errors,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request with node:http (unlike fetch(), it shows repeated response headers and lets us send odd ones). */
export function request(url: string, options: http.RequestOptions = {}, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export type Fetch = (request: Request, env?: unknown) => unknown;

/** Serves the fetch adapter with a fetch() that calls whatever `current()` returns at request time. */
export function serveFetch(adaptFetch: (app: { fetch: Fetch }) => NodeHandler, current: () => Fetch): Promise<Served> {
  return serve(adaptFetch({ fetch: (req, env) => current()(req, env) }));
}

/** A promise with its resolve function, for tests that wait on something the app does. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
