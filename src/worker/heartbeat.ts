// harakiri's second level, the worker's half: heartbeats to the master while the event loop runs, naming the oldest requests in flight.
import type { InFlight } from '../http/in-flight.ts';
import type { RequestRecord } from '../http/access-log.ts';
import type { HeldRequest, WorkerMessage } from './messages.ts';

/** How many of the oldest in-flight requests a heartbeat names. */
const NAMED_REQUESTS = 5;

/** Heartbeat interval: a quarter of harakiri, at most a second, so the master sees a blocked loop in time. */
function heartbeatInterval(harakiriSeconds: number): number {
  return Math.min(1000, (harakiriSeconds * 1000) / 4);
}

function oldestRequests(inFlight: InFlight<RequestRecord>): HeldRequest[] {
  const held: HeldRequest[] = [];
  const now = performance.now();
  for (const [res, record] of inFlight) {
    if (held.length === NAMED_REQUESTS) break;
    held.push({ reqId: record.id, method: res.req.method, path: res.req.url, ageMs: Math.round(now - record.started) });
  }
  return held;
}

/** Sends a heartbeat now and every interval; returns a function that stops them. */
export function startHeartbeat(
  inFlight: InFlight<RequestRecord>,
  harakiriSeconds: number,
  send: (message: WorkerMessage) => void,
): () => void {
  const beat = () => send({ type: 'corral:heartbeat', requests: oldestRequests(inFlight) });
  beat();
  const timer = setInterval(beat, heartbeatInterval(harakiriSeconds));
  timer.unref();
  return () => clearInterval(timer);
}
