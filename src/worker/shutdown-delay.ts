// shutdown-delay: the wait between a stop signal and the graceful stop, while health-path answers 503 and requests are still served, cut short by a second signal.
import type { Logger } from '../log/logger.ts';

/**
 * Waits `seconds` (logged as it starts and as it ends), or less when `cut` resolves first (a second SIGTERM or
 * SIGINT). Resolves at once for 0.
 */
export async function waitShutdownDelay(seconds: number, log: Logger, cut: Promise<string>): Promise<void> {
  if (seconds <= 0) return;
  log.info(
    { shutdownDelay: seconds },
    'shutdown-delay: health-path answers 503 now; still serving until the delay ends',
  );
  let timer: NodeJS.Timeout | undefined;
  const over = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), seconds * 1000)));
  const cutBy = await Promise.race([over, cut]);
  clearTimeout(timer);
  if (cutBy === undefined) log.info({ shutdownDelay: seconds }, 'shutdown-delay over: stopping');
  else log.info({ signal: cutBy }, `shutdown-delay cut short by a second ${cutBy}: stopping`);
}

/** A promise of the next stop signal after the first, and the function that reports signals to it. */
export function secondSignal(): { next: Promise<string>; signalled: (signal: string) => void } {
  let count = 0;
  let wake: (signal: string) => void = () => {};
  const next = new Promise<string>((resolve) => (wake = resolve));
  return {
    next,
    signalled(signal) {
      count++;
      if (count >= 2) wake(signal);
    },
  };
}
