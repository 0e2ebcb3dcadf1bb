// Test helper: a front end on 127.0.0.1 port 0 (plain and HTTPS with HTTP/2) serving a directory, with an app behind it, that counts which way each static request went.
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import type { ClientLimits } from '../../src/config/types.ts';
import { clientShield } from '../../src/http/client-shield.ts';
import { startFrontEnd, type FrontEnd } from '../../src/http/front-end.ts';
import { createHealth } from '../../src/http/health.ts';
import { createPipeline } from '../../src/http/pipeline.ts';
import type { RefusalKind } from '../../src/http/refusal-log.ts';
import type { RequestHead } from '../../src/http/request-head.ts';
import type { Http2Guard } from '../../src/http/tls-listeners.ts';
import { createStaticHandler } from '../../src/static/handler.ts';
import type { TestCa } from '../e2e/tls-fixtures.ts';
import { testListeners } from './wire-client.ts';

/** What the tests read of the front end, filled as it serves. */
export interface Seen {
  /** Static requests by the way they went: `slow` with a request and a response (node:http's, or node:http2's compatibility objects), `fast` asked for on a fast path. */
  took: { fast: number; slow: number };
  /** The access lines, parsed. */
  lines: Record<string, unknown>[];
  refusals: RefusalKind[];
}

/** What the tests read, empty. */
export function nothingSeen(): Seen {
  return { took: { fast: 0, slow: 0 }, lines: [], refusals: [] };
}

/**
 * Serves `dir` at `/` (memory cache of 64 MiB), the health path `/healthz`, and an app that answers `app URL` to the
 * rest; `draining()` turns the pipeline's drain on by hand. HTTP/2 with `guard`'s checks when given.
 */
export function staticFrontEnd(
  dir: string,
  ca: TestCa,
  limits: ClientLimits,
  seen: Seen,
  draining: () => boolean,
  guard?: Http2Guard,
): Promise<FrontEnd> {
  const files = createStaticHandler([{ prefix: '/', dir }], { cacheSize: 64 * 1024 * 1024 });
  const serveStatic = Object.assign(
    (req: IncomingMessage, res: ServerResponse) => {
      seen.took.slow++;
      return files(req, res);
    },
    {
      wire: (head: RequestHead) => {
        seen.took.fast++;
        return files.wire?.(head);
      },
    },
  );
  return startFrontEnd(
    testListeners(ca, guard),
    (isDraining) =>
      createPipeline({
        log: pino({ enabled: false }),
        lines: { writeLine: (line: string) => seen.lines.push(JSON.parse(line)), bindingsJson: '' },
        idPrefix: 'w1',
        serveStatic,
        app: (req, res) => void res.end(`app ${req.url}`),
        isDraining: () => draining() || isDraining(),
      }),
    {
      shield: clientShield(limits, { refused: (kind) => void seen.refusals.push(kind) }, () => false),
      health: createHealth('/healthz', 'serving'),
    },
  );
}
