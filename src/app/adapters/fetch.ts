// Adapts a fetch-style app (`{ fetch(request) }`, a Hono app) to corral's handler: Request in, Response written out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from '../../http/error-response.ts';
import type { NodeHandler } from '../types.ts';
import { describeValue } from '../describe.ts';
import { installFetchGlobals } from './fetch-globals.ts';
import { refusedRequestStatus, requestUrl } from './fetch-request.ts';
import { writeResponse, writeWhole } from './fetch-response.ts';
import {
  atTurnEnd,
  FastEnv,
  FastExchange,
  HeadRequest,
  HeadResponse,
  type Replay,
  takeReplay,
  type WireMade,
  wireOf,
} from './fetch-fast.ts';
import type { WholeResponse } from './light-response.ts';

export interface FetchApp {
  fetch(request: Request, env?: unknown, ctx?: unknown): unknown;
}

/** What a fetch app receives as its second argument (Hono's `c.env`): the Node objects behind the Request. */
interface FetchEnv {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/** An object (a plain one, or a class instance like Hono's) or a function that carries a fetch() method. */
export function isFetchApp(value: unknown): value is FetchApp {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  return typeof (value as { fetch?: unknown }).fetch === 'function';
}

/**
 * fetch() is called as a method, `app.fetch(request, env)`: env is `{ incoming, outgoing }` (Hono exposes
 * it as `c.env`), and no third argument is passed, since there is no Workers-style execution context
 * (Hono's `c.executionCtx` throws, as on any runtime without one). request.signal aborts when the client
 * disconnects before the response is finished. A non-Response result throws: the caller answers 500. An app
 * that answered through `env.outgoing` itself keeps its answer (see answeredDirectly).
 * A request no Request can describe (a method undici forbids, a target that is no URL) is the client's
 * fault: it gets a 501 or a 400 here, and never reaches the app nor the error log.
 * The Request is a light one and the global Response is corral's light class (see fetch-globals.ts). An app that
 * answers synchronously (Hono does for a handler that returns a Response) costs no promise here.
 */
export function adaptFetch(app: FetchApp): NodeHandler {
  const { request: requests, response: responses } = installFetchGlobals();
  const handler: NodeHandler = (req, res) => {
    const replay = takeReplay(req);
    if (replay !== undefined) return attach(replay, req, res);
    const refused = refusedRequestStatus(req);
    const url = refused === undefined ? requestUrl(req) : undefined;
    if (url === undefined) {
      const status = refused ?? 400;
      return sendError(res, status, status === 501 ? 'Not Implemented' : 'Bad Request');
    }
    const env: FetchEnv = { incoming: req, outgoing: res };
    const result = app.fetch(requests.create(req, res, url), env);
    if (!isThenable(result)) return answer(result, responses.whole(result), req, res);
    return Promise.resolve(result).then((response) => answer(response, responses.whole(response), req, res));
  };

  /** A fast-path request node:http now reads (fetch-fast.ts): the app's outcome goes to this response. */
  const attach = (replay: Replay, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    replay.req = req;
    replay.res = res;
    return replay.outcome.then((response) => answer(response, responses.whole(response), req, res));
  };

  /**
   * The fast path's call (fetch-fast.ts): the app gets a light Request over the head, and `env` whose `incoming` and
   * `outgoing` turn the request into node:http's when first read. A whole light Response comes back as wire text;
   * anything else (a promise, a stream, a throw, a field node:http must see) is handed to node:http with the outcome.
   */
  handler.wire = (socket, head, handOver) => {
    const headReq = new HeadRequest(socket, head);
    const incoming = headReq as unknown as IncomingMessage;
    const url = requestUrl(incoming);
    if (url === undefined) return false;
    const headRes = new HeadResponse();
    const exchange = new FastExchange(socket, handOver, headRes);
    const env = new FastEnv(exchange);
    /** The answer for what fetch() gave, or the request handed to node:http with it. */
    const finish = (response: unknown): WireMade | true => {
      if (exchange.replay !== undefined) return handedOver(exchange.replay, response);
      const whole = responses.whole(response);
      const made = whole === undefined ? undefined : wireOf(whole, head.method);
      if (made === undefined) return handedOver(exchange.nodes(), response);
      headRes.written = true;
      return made;
    };
    let result: unknown;
    try {
      result = app.fetch(requests.create(incoming, headRes as unknown as ServerResponse, url), env);
    } catch (error) {
      return handedOver(exchange.nodes(), error, true);
    }
    if (!isThenable(result)) return finish(result);
    if (exchange.replay !== undefined) return handedOver(exchange.replay, result);
    const promised = result;
    return new Promise<WireMade | true>((resolve) => {
      let done = false;
      const settle = (outcome: () => WireMade | true) => {
        if (done) return;
        done = true;
        resolve(outcome());
      };
      promised.then(
        (response) => settle(() => finish(response)),
        (error: unknown) => settle(() => handedOver(exchange.nodes(), error, true)),
      );
      // Still waiting (for I/O): node:http takes the request with the app's promise.
      atTurnEnd(() => settle(() => handedOver(exchange.nodes(), promised)));
    });
  };
  return handler;
}

/**
 * Gives node:http's side the app's outcome; true (the request is handed over). Should node:http have answered the
 * request otherwise (nothing took the replay), the outcome is dropped: a body is cancelled, a rejection ignored.
 */
function handedOver(replay: Replay, result: unknown, threw = false): true {
  if (threw) replay.fail(result);
  else replay.settle(result);
  if (replay.req === undefined) {
    replay.outcome.then(
      (response) => (response as Partial<Response> | undefined)?.body?.cancel().catch(() => {}),
      () => {},
    );
  }
  return true;
}

/** Writes what fetch() gave; `whole` holds its parts when it is a light Response with a whole body. */
function answer(
  response: unknown,
  whole: WholeResponse | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): void | Promise<void> {
  if (whole !== undefined) {
    const marked = whole.headers?.has(ALREADY_SENT) ?? whole.fields?.[ALREADY_SENT] !== undefined;
    if (!res.headersSent && !marked) writeWhole(whole, req, res);
    return;
  }
  if (!isResponse(response)) {
    throw new TypeError(
      `The app's fetch() returned ${describeValue(response)} instead of a Response: ` +
        'return a Response (or a promise of one), e.g. `return new Response("ok")`',
    );
  }
  if (answeredDirectly(response, res)) {
    response.body?.cancel().catch(() => {});
    return;
  }
  return writeResponse(response, req, res);
}

/**
 * @hono/node-server's documented escape hatch: an app answers through `env.outgoing` (Node's response) and returns
 * a Response marked `x-hono-already-sent` (its RESPONSE_ALREADY_SENT), possibly still writing the body after it
 * returned. That Response, like any returned after the app already sent headers itself, is not written: doing so
 * would throw, and the error path would cut the body the app is still writing.
 */
const ALREADY_SENT = 'x-hono-already-sent';

function answeredDirectly(response: Response, res: ServerResponse): boolean {
  return res.headersSent || response.headers.has(ALREADY_SENT);
}

/** A global Response (corral's or undici's), or one from another copy of undici: a numeric status and real Headers. */
function isResponse(value: unknown): value is Response {
  if (value instanceof Response) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Response>;
  return typeof candidate.status === 'number' && candidate.headers instanceof Headers && 'body' in candidate;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
