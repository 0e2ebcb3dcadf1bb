// Adapts an http.Server (or any emitter of 'request' with listen()) by calling its 'request' listeners; it is never listened on.
import { Server as HttpServer } from 'node:http';
import { Server as NetServer } from 'node:net';
import { AdapterSetupError } from '../load-error.ts';
import type { NodeHandler } from '../types.ts';

export interface RequestEmitter {
  listen(...args: unknown[]): unknown;
  // biome-ignore lint/complexity/noBannedTypes: Node's EventEmitter types listeners() as Function[].
  listeners(event: 'request'): Function[];
}

/**
 * An http(s).Server instance, or an emitter with listen() that has at least one 'request' listener. An https (or
 * http2 secure) server is told by its TLS methods, without loading node:https into every worker to ask instanceof.
 */
export function isRequestEmitter(value: unknown): value is RequestEmitter {
  if (value instanceof HttpServer || isTlsServer(value)) return true;
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const candidate = value as Partial<Record<keyof RequestEmitter, unknown>>;
  return (
    typeof candidate.listen === 'function' &&
    typeof candidate.listeners === 'function' &&
    (value as RequestEmitter).listeners('request').length > 0
  );
}

/**
 * The listeners are read on every request, as `emit` would, so a library that swaps them after load
 * (socket.io does) keeps working. Each is called with the server as `this`; returned promises are awaited.
 */
export function adaptHttpServer(server: RequestEmitter): NodeHandler {
  if (server.listeners('request').length === 0) {
    throw new AdapterSetupError("it has no 'request' listener (pass one to http.createServer())");
  }
  return async (req, res) => {
    const listeners = server.listeners('request') as NodeHandler[];
    if (listeners.length === 1) {
      await listeners[0]!.call(server, req, res);
      return;
    }
    await Promise.all(listeners.map((listener) => listener.call(server, req, res)));
  };
}

function isTlsServer(value: unknown): boolean {
  return value instanceof NetServer && typeof (value as { setSecureContext?: unknown }).setSecureContext === 'function';
}
