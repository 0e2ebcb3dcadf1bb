// The health path (`health-path`): corral's own answer, before static files and the app, to whether a load balancer should send this worker requests.
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * starting: the app is loaded but its `ready` export has not resolved yet; serving: the worker takes requests;
 * failing: a stop is coming (shutdown-delay) and the worker still serves; draining: it stops accepting and finishes
 * what is in flight.
 */
export type HealthState = 'starting' | 'serving' | 'failing' | 'draining';

const BODIES: Readonly<Record<HealthState, string>> = {
  starting: 'starting\n',
  serving: 'ok\n',
  failing: 'stopping\n',
  draining: 'stopping\n',
};

export interface Health {
  /** The URL it answers (health-path), matched whole, query included. */
  readonly path: string;
  readonly state: HealthState;
  /** Moves to `state`; a worker never goes back from failing or draining to serving. */
  set(state: HealthState): void;
  /** Answers the request and returns true when it is for the health path; false (nothing done) otherwise. */
  answer(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * The health of one worker at `path`. The answer is not an app request: no access line, no request id, not counted
 * by the stats or max-requests, whatever the method (HAProxy's default check is OPTIONS). 200 while serving, 503
 * otherwise; while draining the connection closes after it.
 */
export function createHealth(path: string, initial: HealthState = 'starting'): Health {
  let state = initial;
  return {
    path,
    get state() {
      return state;
    },
    set(next) {
      if ((state === 'failing' || state === 'draining') && (next === 'serving' || next === 'starting')) return;
      if (state === 'draining' && next === 'failing') return;
      state = next;
    },
    answer(req, res) {
      if (req.url !== path) return false;
      const body = BODIES[state];
      if (state === 'draining' && req.httpVersionMajor === 1) res.shouldKeepAlive = false;
      res.writeHead(state === 'serving' ? 200 : 503, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': body.length,
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    },
  };
}
