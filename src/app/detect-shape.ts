// Recognises an exported value's handler shape, in a fixed order, and builds that shape's adapter.
import { adaptConnectHandler, isConnectHandler } from './adapters/connect-handler.ts';
import { isFastifyLike, adaptFastify } from './adapters/fastify.ts';
import { isFetchApp, adaptFetch } from './adapters/fetch.ts';
import { isRequestEmitter, adaptHttpServer } from './adapters/http-server.ts';
import { isKoaLike, adaptKoa } from './adapters/koa.ts';
import { isNodeListener, adaptNodeListener } from './adapters/node-listener.ts';
import { describeThrown, describeValue, isClass } from './describe.ts';
import { AdapterSetupError, appLoadError } from './load-error.ts';
import type { AppShape, NodeHandler } from './types.ts';

/** How messages name each shape. */
const SHAPE_NAMES: Record<AppShape, string> = {
  'http-server': 'an http.Server',
  fastify: 'a Fastify instance',
  koa: 'a Koa app',
  fetch: 'a fetch app',
  connect: 'a connect-style (req, res, next) handler',
  'node-listener': 'a Node listener',
};

export interface AdaptedApp {
  handler: NodeHandler;
  shape: AppShape;
  /** The app value itself, once a promise export has settled. */
  app: unknown;
}

/**
 * A promise is awaited first. Then the first matching shape wins; the order matters where shapes overlap:
 *  1. http.Server, or any emitter with listen() and 'request' listeners: those listeners are the app
 *     (checked first: a server object may carry anything else; a Koa or Express app has no 'request' listener).
 *  2. Fastify: ready() + routing() + server (an object, not a function; it also has no callback()).
 *  3. Koa-style: callback() returns the listener (a Koa app is an emitter with listen(), hence after 1).
 *  4. fetch-style: a fetch() method, on a plain object or a class instance like Hono's.
 *  5. a function of three parameters that is no Express or Connect app: a connect-style `(req, res, next)`
 *     handler (SvelteKit's and Astro's Node builds), given a `next` that falls through to corral's 404.
 *  6. any other function, taken as a Node `(req, res)` listener (Express and Connect apps are functions).
 * Anything else, and an adapter that cannot be built (ready() rejects...), is an AppLoadError.
 */
export async function adaptApp(exported: unknown, file: string): Promise<AdaptedApp> {
  const value = await settle(exported, file);
  const shape = detectShape(value);
  if (shape === undefined)
    throw appLoadError(file, `its export is ${describeValue(value)}, which is no app shape corral knows`);
  try {
    return { shape, handler: await buildHandler(shape, value), app: value };
  } catch (error) {
    const problem = error instanceof AdapterSetupError ? error.message : describeThrown(error);
    throw appLoadError(file, `it looks like ${SHAPE_NAMES[shape]}, but ${problem}`);
  }
}

/** The shape `value` has, or undefined; see adaptApp for the order. */
export function detectShape(value: unknown): AppShape | undefined {
  if (isRequestEmitter(value)) return 'http-server';
  if (isFastifyLike(value)) return 'fastify';
  if (isKoaLike(value)) return 'koa';
  if (isFetchApp(value)) return 'fetch';
  if (typeof value === 'function' && isClass(value)) return undefined;
  if (isConnectHandler(value)) return 'connect';
  if (isNodeListener(value)) return 'node-listener';
  return undefined;
}

async function buildHandler(shape: AppShape, value: unknown): Promise<NodeHandler> {
  switch (shape) {
    case 'http-server':
      return adaptHttpServer(value as Parameters<typeof adaptHttpServer>[0]);
    case 'fastify':
      return adaptFastify(value as Parameters<typeof adaptFastify>[0]);
    case 'koa':
      return adaptKoa(value as Parameters<typeof adaptKoa>[0]);
    case 'fetch':
      return adaptFetch(value as Parameters<typeof adaptFetch>[0]);
    case 'connect':
      return adaptConnectHandler(value as Parameters<typeof adaptConnectHandler>[0]);
    case 'node-listener':
      return adaptNodeListener(value as Parameters<typeof adaptNodeListener>[0]);
  }
}

async function settle(exported: unknown, file: string): Promise<unknown> {
  if (!isThenable(exported)) return exported;
  try {
    return await exported;
  } catch (error) {
    throw appLoadError(file, `the promise it exports rejected: ${describeThrown(error)}`);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
