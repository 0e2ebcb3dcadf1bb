// Adapts a plain `(req, res)` function (a Node request listener, an Express or Connect app) to corral's handler.
import type { NodeHandler } from '../types.ts';

export function isNodeListener(value: unknown): value is NodeHandler {
  return typeof value === 'function';
}

/**
 * The function is called as Node would call it, with nothing in between: a synchronous throw and a returned promise
 * both reach the caller as they are (see NodeHandler), so a synchronous answer costs no promise.
 */
export function adaptNodeListener(listener: NodeHandler): NodeHandler {
  return listener;
}
