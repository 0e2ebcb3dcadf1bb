// The types shared by the app loader and the request pipeline: what a loaded app looks like once adapted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AppWire } from './adapters/fetch-fast.ts';

/**
 * Every app is adapted to this Node listener. A failure comes back as a synchronous throw or as the rejection of
 * the returned promise (a plain listener is called as it is; the other adapters are async). The caller sends a 500
 * when nothing was sent yet, and destroys the response when headers already went out (the body would be cut
 * short); adapters never send a 500 themselves.
 */
export interface NodeHandler {
  (req: IncomingMessage, res: ServerResponse): void | Promise<void>;
  /** The app's side of the fast path, for the shapes that have one (a fetch app: fetch-fast.ts). */
  wire?: AppWire;
}

/**
 * Takes a request that asked to switch protocols (a WebSocket handshake), as node:http's 'upgrade' event gives it:
 * from then on the socket belongs to the app. A throw or a rejection closes the socket.
 */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown;

/** The handler shapes corral recognises, in the order it looks for them (see detect-shape.ts). */
export type AppShape = 'http-server' | 'fastify' | 'koa' | 'fetch' | 'connect' | 'node-listener';

export interface LoadedApp {
  handler: NodeHandler;
  shape: AppShape;
  /** Human name for logs: file name and export, e.g. `app.ts:default`. */
  name: string;
  /** How the app takes upgraded connections (see upgrade.ts); absent: Upgrade requests are answered as plain requests. */
  upgrade?: UpgradeHandler;
  /** The module's `onDrain` export, if it has one: called when the worker starts to drain, while requests are still in flight. */
  onDrain?: () => unknown;
  /** The module's `onShutdown` export, if it has one: awaited when the worker stops, after its last request (to close pools). */
  onShutdown?: () => unknown;
  /** The module's `ready` export, if it has one: awaited after the worker listens and before it reports ready (health-path answers 503 meanwhile). */
  ready?: () => unknown;
  /** Why the app must be served over HTTP/1.1 only (see http1-only.ts); absent when HTTP/2 suits it. */
  http1Only?: string;
}
