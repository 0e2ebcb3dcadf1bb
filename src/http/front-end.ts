// The HTTP front end of one worker: one node:http server per configured address, in-flight tracking, and a graceful drain.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenAddress } from '../config/types.ts';
import { listen } from './listen.ts';

/** What the front end runs for each request. */
export interface Pipeline<T> {
  /** Starts answering the request; returns what `closed` will need about it. */
  handle(req: IncomingMessage, res: ServerResponse): T;
  /** Runs once per request, when its response closes (sent, or cut short). */
  closed(res: ServerResponse, record: T): void;
}

export interface FrontEnd {
  /** The addresses actually bound, in config order. */
  addresses: string[];
  /**
   * Stops accepting, lets in-flight requests finish (their responses carry `Connection: close`), closes idle
   * keep-alive connections, and resolves once no request is left.
   */
  drain(): Promise<void>;
}

/** Starts listening on every address; rejects (after closing what it opened) if any address fails. */
export async function startFrontEnd<T>(
  addresses: readonly ListenAddress[],
  makePipeline: (isDraining: () => boolean) => Pipeline<T>,
): Promise<FrontEnd> {
  let draining = false;
  /** Each response still open, with its pipeline record. */
  const inFlight = new Map<ServerResponse, T>();
  let idleWaiter: (() => void) | undefined;
  let drained: Promise<void> | undefined;
  const pipeline = makePipeline(() => draining);
  const servers: Server[] = [];

  // The one listener a request gets from corral: shared by all, so nothing is allocated for it per request.
  function onClose(this: ServerResponse): void {
    const record = inFlight.get(this) as T;
    inFlight.delete(this);
    pipeline.closed(this, record);
    if (draining) {
      // Keep-alive connections that just went idle are closed now rather than waiting for their timeout.
      for (const server of servers) server.closeIdleConnections();
      if (inFlight.size === 0) idleWaiter?.();
    }
  }
  const track = (req: IncomingMessage, res: ServerResponse) => {
    res.on('close', onClose);
    inFlight.set(res, pipeline.handle(req, res));
  };

  const bound: string[] = [];
  try {
    for (const address of addresses) {
      const server = createServer(track);
      servers.push(server);
      bound.push(await listen(server, address));
    }
  } catch (err) {
    for (const server of servers) server.close();
    throw err;
  }

  return {
    addresses: bound,
    drain() {
      drained ??= new Promise<void>((resolve) => {
        draining = true;
        idleWaiter = resolve;
        // Responses still being written tell their clients this connection ends with them.
        for (const res of inFlight.keys()) if (!res.headersSent) res.shouldKeepAlive = false;
        for (const server of servers) {
          server.close();
          server.closeIdleConnections();
        }
        if (inFlight.size === 0) resolve();
      });
      return drained;
    },
  };
}
