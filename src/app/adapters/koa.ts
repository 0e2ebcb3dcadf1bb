// Adapts a Koa-style app (an object whose callback() returns a Node listener) to corral's handler.
import type { NodeHandler } from '../types.ts';
import { describeValue } from '../describe.ts';
import { AdapterSetupError } from '../load-error.ts';

export interface KoaLike {
  callback(): unknown;
}

export function isKoaLike(value: unknown): value is KoaLike {
  return (
    typeof value === 'object' && value !== null && typeof (value as { callback?: unknown }).callback === 'function'
  );
}

/** callback() is called once, now; its listener handles every request (Koa answers its own errors). */
export function adaptKoa(app: KoaLike): NodeHandler {
  const listener = app.callback();
  if (typeof listener !== 'function') {
    throw new AdapterSetupError(`callback() returned ${describeValue(listener)} instead of a (req, res) listener`);
  }
  return async (req, res) => {
    await (listener as NodeHandler)(req, res);
  };
}
