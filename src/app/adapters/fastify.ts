// Adapts a Fastify instance (ready() + routing(req, res), never listened on) to corral's handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeThrown } from '../describe.ts';
import { AdapterSetupError } from '../load-error.ts';
import type { NodeHandler } from '../types.ts';

export interface FastifyLike {
  ready(): PromiseLike<unknown>;
  routing(req: IncomingMessage, res: ServerResponse): unknown;
  server: unknown;
}

/** A Fastify instance is an object (not a function) with ready(), routing() and the `server` it would listen on. */
export function isFastifyLike(value: unknown): value is FastifyLike {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const candidate = value as Partial<Record<keyof FastifyLike, unknown>>;
  return typeof candidate.ready === 'function' && typeof candidate.routing === 'function' && 'server' in candidate;
}

/** Awaits ready() once (plugins load, hooks register), then hands every request to routing(). */
export async function adaptFastify(app: FastifyLike): Promise<NodeHandler> {
  try {
    await app.ready();
  } catch (error) {
    throw new AdapterSetupError(`its ready() failed: ${describeThrown(error)}`);
  }
  return async (req, res) => {
    await app.routing(req, res);
  };
}
