// The request pipeline of a worker: static-map first, then the app, else 404; one error boundary turns failures into a 500 with an id.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.ts';
import type { NodeHandler } from '../app/types.ts';
import type { StaticHandler } from '../static/handler.ts';
import { logRequest, openRecord, type RequestRecord } from './access-log.ts';
import { sendError } from './error-response.ts';
import type { Pipeline } from './front-end.ts';
import { requestIdSource } from './request-id.ts';

export interface PipelineParts {
  log: Logger;
  /** Prefix for request ids: `w1` for worker 1, `s` in single mode. */
  idPrefix: string;
  /** Answers static-map requests; resolves false to let the request fall through. */
  serveStatic: StaticHandler | undefined;
  /** The app, adapted to a Node listener; undefined when no module is configured. */
  app: NodeHandler | undefined;
  /** True once the worker is draining: responses then carry `Connection: close`. */
  isDraining: () => boolean;
  /** Called as each request starts (a worker counts them for max-requests). */
  onRequest?: () => void;
}

/** Builds what the front end runs for each request: answer it, then write its access line when it closes. */
export function createPipeline(parts: PipelineParts): Pipeline<RequestRecord> {
  const { log, serveStatic, app, isDraining, onRequest } = parts;
  const nextId = requestIdSource(parts.idPrefix);

  const fail = (err: unknown, id: string, req: IncomingMessage, res: ServerResponse) => {
    log.error({ req: id, method: req.method, path: req.url, err }, 'the app failed to answer the request');
    sendError(res, 500, `Internal Server Error (request id ${id})`, id);
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (serveStatic !== undefined && (await serveStatic(req, res))) return;
    if (app !== undefined) {
      await app(req, res);
      return;
    }
    sendError(res, 404, 'Not Found');
  }

  return {
    handle(req, res) {
      const record = openRecord(nextId(), req);
      if (isDraining()) res.shouldKeepAlive = false;
      onRequest?.();
      answer(req, res).catch((err: unknown) => fail(err, record.id, req, res));
      return record;
    },
    closed(res, record) {
      logRequest(log, res, record);
    },
  };
}
