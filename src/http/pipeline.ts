// The request pipeline of a worker: static-map first, then the app, else 404; one error boundary turns failures into a 500 with an id.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.ts';
import type { NodeHandler } from '../app/types.ts';
import type { StaticHandler } from '../static/handler.ts';
import { logWhenDone } from './access-log.ts';
import { sendError } from './error-response.ts';
import { requestIdSource } from './request-id.ts';

export interface PipelineParts {
  log: Logger;
  /** Prefix for request ids, e.g. `w1`. */
  idPrefix: string;
  /** Answers static-map requests; resolves false to let the request fall through. */
  serveStatic: StaticHandler | undefined;
  /** The app, adapted to a Node listener; undefined when no module is configured. */
  app: NodeHandler | undefined;
  /** True once the worker is draining: responses then carry `Connection: close`. */
  isDraining: () => boolean;
}

/** Builds the `request` listener of the front end. */
export function createPipeline(parts: PipelineParts): (req: IncomingMessage, res: ServerResponse) => void {
  const { log, serveStatic, app, isDraining } = parts;
  const nextId = requestIdSource(parts.idPrefix);

  const fail = (err: unknown, reqLog: Logger, id: string, req: IncomingMessage, res: ServerResponse) => {
    reqLog.error({ method: req.method, path: req.url, err }, 'the app failed to answer the request');
    sendError(res, 500, `Internal Server Error (request id ${id})`, id);
  };

  return (req, res) => {
    const started = performance.now();
    const id = nextId();
    const reqLog = log.child({ req: id });
    logWhenDone(reqLog, req, res, started);
    if (isDraining()) res.shouldKeepAlive = false;
    // A request that never reached a handler because its socket broke is not an app failure.
    req.on('error', () => {});
    handle(req, res).catch((err: unknown) => fail(err, reqLog, id, req, res));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (serveStatic !== undefined && (await serveStatic(req, res))) return;
    if (app !== undefined) {
      await app(req, res);
      return;
    }
    sendError(res, 404, 'Not Found');
  }
}
