// The HTTP front end of one worker: one node:http server per configured address, in-flight tracking, and a graceful drain.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenAddress } from '../config/types.ts';
import { listen } from './listen.ts';

export interface FrontEnd {
  /** The addresses actually bound, in config order. */
  addresses: string[];
  /**
   * Stops accepting, lets in-flight requests finish (their responses carry `Connection: close`), closes idle
   * keep-alive connections, and resolves once no request is left.
   */
  drain(): Promise<void>;
  /** True once drain() was called. */
  readonly draining: boolean;
}

/** Starts listening on every address with `onRequest`; rejects (after closing what it opened) if any address fails. */
export async function startFrontEnd(
  addresses: readonly ListenAddress[],
  makeListener: (isDraining: () => boolean) => (req: IncomingMessage, res: ServerResponse) => void,
): Promise<FrontEnd> {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  let idleWaiter: (() => void) | undefined;
  let drained: Promise<void> | undefined;
  const isDraining = () => draining;
  const listener = makeListener(isDraining);

  const servers: Server[] = [];
  const track = (req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (draining) {
        // Keep-alive connections that just went idle are closed now rather than waiting for their timeout.
        for (const server of servers) server.closeIdleConnections();
        if (inFlight.size === 0) idleWaiter?.();
      }
    });
    listener(req, res);
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
    get draining() {
      return draining;
    },
    drain() {
      drained ??= new Promise<void>((resolve) => {
        draining = true;
        idleWaiter = resolve;
        // Responses still being written tell their clients this connection ends with them.
        for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
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
