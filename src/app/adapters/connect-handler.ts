// Adapts a connect-style `(req, res, next)` handler (SvelteKit's and Astro's Node builds export one): next() falls through to corral's 404, next(error) to its 500.
import { sendError } from '../../http/error-response.ts';
import type { NodeHandler } from '../types.ts';

/** Connect's middleware signature, as build outputs export it: `next` is theirs to call when they do not answer. */
export type ConnectHandler = (req: Parameters<NodeHandler>[0], res: Parameters<NodeHandler>[1], next: Next) => unknown;
type Next = (error?: unknown) => void;

/**
 * A function that declares a third parameter and is not an Express or Connect app: those are functions of three
 * parameters too, but with `use()` and `handle()`, and they answer what they do not route themselves (Express's
 * own 404 page and error handler), as they do under `http.createServer(app)`, where no `next` is passed either.
 */
export function isConnectHandler(value: unknown): value is ConnectHandler {
  if (typeof value !== 'function' || value.length < 3) return false;
  const app = value as { use?: unknown; handle?: unknown };
  return typeof app.use !== 'function' && typeof app.handle !== 'function';
}

/**
 * Each request gets a `next`: called without an error (the handler has nothing for this URL), corral answers 404
 * as it does when no app is configured; called with one, the request fails as a throw would (corral's 500 with a
 * request id, and the error logged). A handler that answers and never calls `next` costs one pending promise, which
 * goes with the request.
 */
export function adaptConnectHandler(handler: ConnectHandler): NodeHandler {
  return (req, res) =>
    new Promise<void>((resolve, reject) => {
      const next: Next = (error) => {
        if (error !== undefined && error !== null) return reject(error);
        sendError(res, 404, 'Not Found');
        resolve();
      };
      const result = handler(req, res, next) as PromiseLike<unknown> | undefined;
      if (result !== undefined && result !== null && typeof result.then === 'function') result.then(undefined, reject);
    });
}
