// harakiri's first level, inside a worker whose event loop still runs: a request past the limit gets 504 and a log line, and the worker lives on.
import type { ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.ts';
import type { RequestRecord } from './access-log.ts';
import type { InFlight } from './in-flight.ts';
import { sendError } from './error-response.ts';

/**
 * Checks the in-flight requests (oldest first) a few times per limit and answers each one older than `seconds` with
 * 504 (or cuts it, when its headers are already out). The app may still write to it afterwards: those writes are
 * dropped. Returns a function that stops the checks.
 */
export function enforceHarakiri(inFlight: InFlight<RequestRecord>, seconds: number, log: Logger): () => void {
  const limitMs = seconds * 1000;
  const timedOut = new WeakSet<ServerResponse>();
  const check = () => {
    const now = performance.now();
    for (const [res, record] of inFlight) {
      const ageMs = Math.round(now - record.started);
      if (ageMs <= limitMs) break; // the map is in start order: every later request is younger
      if (timedOut.has(res)) continue;
      timedOut.add(res);
      // The app's own writes after this go nowhere; without a listener their error would end the worker.
      res.on('error', () => {});
      const req = res.req;
      log.warn(
        { reqId: record.id, method: req.method, path: req.url, ageMs, harakiri: seconds },
        'harakiri: request ran past the limit: answered 504',
      );
      sendError(
        res,
        504,
        `Gateway Timeout: the request ran longer than ${seconds} s (request id ${record.id})`,
        record.id,
      );
    }
  };
  const timer = setInterval(check, Math.min(1000, limitMs / 4));
  timer.unref();
  return () => clearInterval(timer);
}
