// The request pipeline of a worker: proxy trust and body limit, static-map, then the app, else 404; one error boundary turns failures into a 500 with an id.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { LineSink, Logger } from '../log/logger.ts';
import type { Duplex } from 'node:stream';
import type { NodeHandler, UpgradeHandler } from '../app/types.ts';
import type { AccessLogConfig } from '../config/types.ts';
import type { StaticHandler } from '../static/handler.ts';
import type { WorkerCounters } from '../stats/worker-counters.ts';
import { openFastRecord, openRecord, openStreamRecord, type ClosedExchange, type RequestRecord } from './access-log.ts';
import { accessWriter } from './access-writer.ts';
import { BodyTooLargeError, countBody, declaresTooMuch } from './body-limit.ts';
import { sendError } from './error-response.ts';
import type { ForwardedPolicy } from './forwarded.ts';
import type { FastAnswer, SendWire } from './fast-path.ts';
import type { StreamAnswer } from './h2-fast-path.ts';
import type { Pipeline } from './front-end.ts';
import { requestIdSource } from './request-id.ts';
import type { HeadCheck } from './request-limits.ts';
import type { RequestHead } from './request-head.ts';
import type { WireMade } from '../app/adapters/fetch-fast.ts';

export interface PipelineParts {
  log: Logger;
  /** Where the access lines go: the root logger's destination (see access-log.ts). */
  lines: LineSink;
  /** Prefix for request ids: `w1` for worker 1, `s` in single mode. */
  idPrefix: string;
  /** Answers static-map requests; false (or a promise of false) lets the request fall through. */
  serveStatic: StaticHandler | undefined;
  /** The app, adapted to a Node listener; undefined when no module is configured. */
  app: NodeHandler | undefined;
  /** True once the worker is draining: responses then carry `Connection: close`. */
  isDraining: () => boolean;
  /** Called as each request starts (a worker counts them for max-requests). */
  onRequest?: () => void;
  /** How the app takes upgraded connections (WebSockets); undefined: Upgrade requests are answered as plain requests. */
  upgrade?: UpgradeHandler | undefined;
  /** Which X-Forwarded-* headers to believe (`forwarded-allow-ips`); undefined leaves them as they came. */
  forwarded?: ForwardedPolicy;
  /** Largest request body in bytes; 0 or undefined = no limit (`limit-post`). */
  limitPost?: number;
  /** No access-log line per request (`disable-logging`). */
  disableLogging?: boolean;
  /** The access line's format and filters (`log-format`, `log-slow`, `log-4xx`, `log-5xx`); undefined: JSON, every request. */
  accessLog?: AccessLogConfig | undefined;
  /** Refuses a request whose line or header fields are over the limits (414, 431); see request-limits.ts. */
  headCheck?: HeadCheck | undefined;
  /** Counts each finished request for the stats address (`stats`, `metrics`); undefined when neither is set. */
  counters?: WorkerCounters | undefined;
}

/** Builds what the front end runs for each request: answer it, then write its access line when it closes. */
export function createPipeline(parts: PipelineParts): Pipeline<RequestRecord> {
  const { log, serveStatic, app, isDraining, onRequest, forwarded, upgrade, headCheck } = parts;
  const limitPost = parts.limitPost ?? 0;
  const nextId = requestIdSource(parts.idPrefix);

  const fail = (err: unknown, record: RequestRecord, req: IncomingMessage, res: ServerResponse) => {
    record.failed = true;
    // An app that gave up reading a body over limit-post did nothing wrong: the client already has its 413.
    if (!(err instanceof BodyTooLargeError))
      log.error({ reqId: record.id, method: req.method, path: req.url, err }, 'the app failed to answer the request');
    sendError(res, 500, `Internal Server Error (request id ${record.id})`, record.id);
  };
  const tooLarge = (_req: IncomingMessage, res: ServerResponse) => {
    res.shouldKeepAlive = false;
    sendError(res, 413, `Payload Too Large (limit-post is ${limitPost} bytes)`);
  };
  /** A chunked body passed the limit while the app was reading it: answer 413 if the app has not answered yet, then fail the body. */
  const overflowed = (req: IncomingMessage, res: ServerResponse) => {
    const error = new BodyTooLargeError(limitPost);
    if (res.headersSent) return void req.destroy(error);
    tooLarge(req, res);
    res.once('finish', () => req.destroy(error));
  };

  /**
   * The app, else 404. A synchronous answer costs no promise and no closure: only an app that returns a promise gets
   * a rejection handler (the rejection is the only failure a promise can still bring).
   */
  function toApp(req: IncomingMessage, res: ServerResponse, record: RequestRecord): void {
    if (app === undefined) return sendError(res, 404, 'Not Found');
    let result: void | Promise<void>;
    try {
      result = app(req, res);
    } catch (err) {
      return fail(err, record, req, res);
    }
    if (result !== undefined && typeof result.then === 'function')
      result.then(undefined, (err: unknown) => fail(err, record, req, res));
  }

  /** static-map first: a URL outside every mount, or a file served from the cache, is answered without a promise. */
  function answer(req: IncomingMessage, res: ServerResponse, record: RequestRecord): void {
    if (serveStatic === undefined) return toApp(req, res, record);
    let served: boolean | Promise<boolean>;
    try {
      served = serveStatic(req, res);
    } catch (err) {
      return fail(err, record, req, res);
    }
    if (served === false) return toApp(req, res, record);
    // Marked before the answer: a file sent from the promise's chain closes before the promise settles here.
    record.static = true;
    if (served === true) return;
    served.then(
      (done) => {
        if (done) return;
        record.static = false;
        toApp(req, res, record);
      },
      (err: unknown) => fail(err, record, req, res),
    );
  }

  const writeAccessLine = accessWriter(parts.lines, parts.disableLogging === true, parts.accessLog);
  const closed = closedHook(writeAccessLine, parts.counters);
  const wire = serveStatic?.wire;
  const appWire = app?.wire;
  /** What the slow path does around an answer (max-requests' count, the access line, the stats), for a fast one. */
  const answeredFast = (
    socket: Socket,
    head: RequestHead,
    status: number,
    record: RequestRecord,
    sent = true,
    http2 = false,
  ) => {
    onRequest?.();
    const req = {
      method: head.method,
      url: head.target,
      httpVersion: http2 ? '2.0' : '1.1',
      httpVersionMajor: http2 ? 2 : 1,
      socket,
      headers: head.headers,
    };
    closed({ req, statusCode: status, writableFinished: sent }, record);
  };
  /** Writes an answer the app's fast side made; a connection closed meanwhile gets none, and its line says aborted. */
  const writeMade = (socket: Socket, head: RequestHead, made: WireMade, started: number, send: SendWire) => {
    // Opened before the write: a socket whose bytes are not counted on its connection is read before and after.
    const record = openFastRecord(nextId(), socket, false, started);
    const cut = socket.destroyed;
    if (!cut) send.made(socket, made.head, made.body);
    answeredFast(socket, head, made.status, record, !cut);
  };
  /**
   * A request the fast path read (fast-path.ts): a file in the memory cache is answered here; so is a request the
   * static step would let through, when the app has a fast side (a fetch app: fetch-fast.ts) and answers it whole.
   * Anything else is left to node:http, or handed to it by the app's side with the app's outcome. While draining
   * every request goes to node:http, whose answers then close their connections.
   */
  const fast: FastAnswer | undefined =
    wire === undefined && appWire === undefined
      ? undefined
      : (socket, head, send, handOver) => {
          if (isDraining()) return false;
          // Other methods are the app's (the static step lets them through); a body over limit-post is node:http's 413.
          if (head.method !== 'GET' && head.method !== 'HEAD') {
            if (limitPost > 0 && head.body.length > limitPost) return false;
          } else if (serveStatic !== undefined) {
            const answer = wire?.(head);
            if (answer !== undefined) {
              const record = openFastRecord(nextId(), socket, true, performance.now());
              send(socket, answer);
              answeredFast(socket, head, answer.status, record);
              return true;
            }
            if (appWire === undefined || serveStatic.passes?.(head) !== true) return false;
          }
          if (appWire === undefined) return false;
          const started = performance.now();
          const made = appWire(socket, head, handOver);
          if (typeof made === 'boolean') return made;
          if (!(made instanceof Promise)) {
            writeMade(socket, head, made, started, send);
            return true;
          }
          return made.then((later) => {
            if (later !== true) writeMade(socket, head, later, started, send);
          });
        };
  /**
   * An HTTP/2 request the stream fast path read (h2-fast-path.ts): a file in the memory cache is answered on its
   * stream; anything else goes on to node:http2's compatibility layer, and from there to `handle`. While draining,
   * every request goes that way too.
   */
  const fastStream: StreamAnswer | undefined =
    wire === undefined
      ? undefined
      : (stream, head, sendOnStream) => {
          if (isDraining()) return false;
          const answer = wire(head);
          if (answer === undefined) return false;
          const record = openStreamRecord(nextId(), stream.session, performance.now());
          sendOnStream(stream, answer);
          answeredFast(stream.session?.socket as Socket, head, answer.status, record, !stream.destroyed, true);
          return true;
        };
  return {
    open: (req) => openRecord(nextId(), req, forwarded?.(req)),
    ...(fast !== undefined && { fast }),
    ...(fastStream !== undefined && { fastStream }),
    handle(req, res, record) {
      if (isDraining()) res.shouldKeepAlive = false;
      onRequest?.();
      if (headCheck?.(req, res) === true) return;
      if (limitPost > 0) {
        if (declaresTooMuch(req, limitPost)) return tooLarge(req, res);
        countBody(req, limitPost, () => overflowed(req, res));
      }
      answer(req, res, record);
    },
    closed,
    refusesBody: (req) => limitPost > 0 && declaresTooMuch(req, limitPost),
    ...(upgrade !== undefined && {
      upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
        const record = openRecord(nextId(), req, forwarded?.(req));
        const fields = {
          reqId: record.id,
          path: req.url,
          remote: record.remote,
          proxy: record.proxy,
          upgrade: req.headers.upgrade,
        };
        log.info(fields, 'upgrade');
        const failed = (err: unknown) => {
          log.error({ ...fields, err }, 'the app failed to take the upgraded connection');
          socket.destroy();
        };
        try {
          const result = upgrade(req, socket, head);
          if (isThenable(result)) result.then(undefined, failed);
        } catch (err) {
          failed(err);
        }
      },
    }),
  };
}

type Closed = (res: ClosedExchange, record: RequestRecord) => void;

/** What runs as a response closes: the stats counters, then the access line; each only when on, and made once. */
function closedHook(write: Closed | undefined, counters: WorkerCounters | undefined): Closed {
  if (counters === undefined) return write ?? (() => {});
  if (write === undefined) return (res, record) => counters.count(res, record);
  return (res, record) => {
    counters.count(res, record);
    write(res, record);
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
