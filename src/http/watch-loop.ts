// The periodic look of a watch over some connections (send-watch.ts, silent-watch.ts): it runs only while the watch holds any, a few times per timeout.

/** How often a timeout of `timeoutMs` is looked at: a quarter of it, at least every second, at most every 50 ms (as node:http checks its own). */
export function lookPeriod(timeoutMs: number): number {
  return Math.max(50, Math.min(1000, Math.round(timeoutMs / 4)));
}

export interface WatchLoop {
  /** Starts the looks if they are not running (call it after adding to the watched map). */
  wake(): void;
}

/** Calls `look` every `periodMs` while `watched` is not empty; the look that leaves it empty is the last, until the next wake. */
export function watchLoop(watched: Map<unknown, unknown>, periodMs: number, look: (now: number) => void): WatchLoop {
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    look(performance.now());
    if (watched.size > 0) return;
    clearInterval(timer);
    timer = undefined;
  };
  return {
    wake() {
      if (timer !== undefined) return;
      timer = setInterval(tick, periodMs);
      timer.unref();
    },
  };
}
