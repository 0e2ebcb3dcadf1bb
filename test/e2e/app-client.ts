// The client side of the real-app tests (test/apps): node:http requests sent exactly as given, event streams read as they arrive, and a corral per app.
import { mkdtempSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startCorral, type Running } from './harness.ts';

/** An app under test/apps, by its path there (`express/app.mjs`). */
export const appFile = (name: string): string => fileURLToPath(new URL(`../apps/${name}`, import.meta.url));

/** A fresh directory for the apps' notes (test/apps/record.mjs reads APP_RECORD_DIR). */
export const recordDir = (): string => mkdtempSync(join(tmpdir(), 'corral-apps-'));

/** corral serving `app` with 2 workers on 127.0.0.1:0; `extra` adds arguments (a static-map...). */
export function startApp(app: string, records: string, extra: string[] = []): Promise<Running> {
  return startCorral(['--http', '127.0.0.1:0', '--module', appFile(app), '--processes', '2', ...extra], {
    env: { APP_RECORD_DIR: records },
  });
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json(): Record<string, unknown>;
}

export interface SendOptions {
  method?: string;
  /** An array value is sent as repeated header lines. */
  headers?: OutgoingHttpHeaders;
  body?: Buffer | string;
  ms?: number;
}

/** One request on its own connection; `path` goes on the request line exactly as given (percent-encoding kept). */
export function send(base: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname, port, path, method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: () => body.toString('utf8'),
            json: () => JSON.parse(body.toString('utf8')) as Record<string, unknown>,
          });
        });
      },
    );
    req.setTimeout(options.ms ?? 10_000, () =>
      req.destroy(new Error(`no answer to ${path} within ${options.ms ?? 10_000} ms`)),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface OpenStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** What had arrived when the first event (up to its blank line) was complete. */
  first: string;
  /** The response was still open when the first event arrived: nothing buffered it until the end. */
  stillOpen: boolean;
  ms: number;
  /** Leaves: destroys the connection, as a closed browser tab does. */
  leave(): void;
}

/** GETs `path` and resolves as soon as the first server-sent event is in; the connection stays open until leave(). */
export function openEventStream(base: string, path: string, ms = 5000): Promise<OpenStream> {
  const { hostname, port } = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ hostname, port, path, agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (!text.includes('\n\n')) return;
        clearTimeout(timer);
        res.removeAllListeners('data');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          first: text,
          stillOpen: !res.complete,
          ms: performance.now() - started,
          leave: () => req.destroy(),
        });
      });
      res.on('end', () =>
        reject(new Error(`the stream ended before its first event was complete: ${JSON.stringify(text)}`)),
      );
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no complete event within ${ms} ms`));
    }, ms);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Asks the app (any worker) for its note `id` until there is one, for up to `ms`. */
export async function waitForRecord(base: string, id: string, ms = 5000): Promise<string> {
  const deadline = performance.now() + ms;
  for (;;) {
    const text = (await send(base, `/record?id=${id}`)).text();
    if (text !== 'none' || performance.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens a WebSocket and resolves with it and its first message; rejects after 5 s. */
export function openWebSocket(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<{ ws: WebSocket; first: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    const timer = setTimeout(() => reject(new Error(`no message from ${url}`)), 5000);
    ws.once('message', (data) => {
      clearTimeout(timer);
      resolve({ ws, first: String(data) });
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
