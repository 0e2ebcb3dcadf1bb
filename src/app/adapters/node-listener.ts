// Adapts a plain `(req, res)` function (a Node request listener, an Express or Connect app) to corral's handler.
import type { NodeHandler } from '../types.ts';

export function isNodeListener(value: unknown): value is NodeHandler {
  return typeof value === 'function';
}

/** Calls the function as Node would; a returned promise is awaited so that its rejection reaches the caller. */
export function adaptNodeListener(listener: NodeHandler): NodeHandler {
  return async (req, res) => {
    await listener(req, res);
  };
}
