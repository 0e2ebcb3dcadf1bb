// A worker's recycling limits (max-requests with its delta, reload-on-rss, max-worker-lifetime): the first one reached asks the master for a replacement, once.
import type { Config } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import type { RecycleReason } from './messages.ts';

export interface Recycling {
  /** Counts one request towards max-requests. */
  countRequest(): void;
  /** Starts the clock of max-worker-lifetime and the memory checks (call once the worker serves). */
  start(): void;
  /** Stops every check (the worker stops). */
  stop(): void;
}

const RSS_CHECK_MS = 1000;

/** The limits of `config`; `ask` is called at most once, with the setting whose limit was reached first. */
export function watchRecycling(config: Config, log: Logger, ask: (reason: RecycleReason) => void): Recycling {
  const timers: NodeJS.Timeout[] = [];
  let asked = false;
  const reached = (reason: RecycleReason, fields: Record<string, unknown>) => {
    if (asked) return;
    asked = true;
    for (const timer of timers) clearInterval(timer);
    log.info({ reason, ...fields }, 'recycling limit reached: asking the master for a replacement');
    ask(reason);
  };

  // The jitter only spreads the workers' recycling apart: Math.random is enough, and loads no node:crypto.
  const maxRequests =
    config.maxRequests === undefined
      ? Infinity
      : config.maxRequests + Math.floor(Math.random() * ((config.maxRequestsDelta ?? 0) + 1));
  let requests = 0;
  return {
    countRequest() {
      if (++requests >= maxRequests) reached('max-requests', { requests });
    },
    start() {
      const rssLimit = config.reloadOnRss;
      if (rssLimit !== undefined) {
        const check = () => {
          const rssMb = Math.round(process.memoryUsage.rss() / 1048576);
          if (rssMb >= rssLimit) reached('reload-on-rss', { rssMb });
        };
        timers.push(setInterval(check, RSS_CHECK_MS).unref());
      }
      const lifetime = config.maxWorkerLifetime;
      if (lifetime !== undefined)
        timers.push(setTimeout(() => reached('max-worker-lifetime', { seconds: lifetime }), lifetime * 1000).unref());
    },
    stop() {
      asked = true;
      for (const timer of timers) clearInterval(timer);
    },
  };
}
