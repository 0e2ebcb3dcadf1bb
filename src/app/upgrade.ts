// Finds how an app takes upgraded connections (WebSockets): an `upgrade` export, or the 'upgrade' listeners of the server object it exports.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AppShape, UpgradeHandler } from './types.ts';

interface UpgradeEmitter {
  // biome-ignore lint/complexity/noBannedTypes: Node's EventEmitter types listeners() as Function[].
  listeners(event: 'upgrade'): Function[];
}

/**
 * In this order:
 *  1. an `upgrade(req, socket, head)` function exported by the module, or carried by its app object
 *     (`export default { fetch, upgrade }`);
 *  2. for an exported http.Server (how Socket.IO and `new WebSocketServer({ server })` attach), its 'upgrade'
 *     listeners; for a Fastify instance, those of `fastify.server` (where @fastify/websocket attaches).
 * Server listeners are read at each upgrade, as `emit` would, so a library that attaches later is found too; there
 * must be one at load time, else the app takes no upgrades and an Upgrade request is answered as a plain request.
 */
export function findUpgradeHandler(
  namespace: Record<string, unknown>,
  app: unknown,
  shape: AppShape,
): UpgradeHandler | undefined {
  const exported = namespace.upgrade ?? propertyOf(namespace.default, 'upgrade') ?? propertyOf(app, 'upgrade');
  if (typeof exported === 'function') {
    const owner = exported === propertyOf(app, 'upgrade') ? app : undefined;
    return (req, socket, head) =>
      (exported as (...args: unknown[]) => unknown).call(owner, req, socket, head) as unknown;
  }
  const server = shape === 'http-server' ? app : shape === 'fastify' ? propertyOf(app, 'server') : undefined;
  if (!isUpgradeEmitter(server) || server.listeners('upgrade').length === 0) return undefined;
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    for (const listener of server.listeners('upgrade')) listener.call(server, req, socket, head);
  };
}

function propertyOf(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  return (value as Record<string, unknown>)[key];
}

function isUpgradeEmitter(value: unknown): value is UpgradeEmitter {
  return typeof propertyOf(value, 'listeners') === 'function';
}
