// The master's signals table: handlers only queue the signal; one dispatcher runs the named handler for each, in order.
export type MasterSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP';

/** What each signal means to the master (docs/signals.md says the same). */
export const SIGNAL_ACTIONS: Record<MasterSignal, string> = {
  SIGTERM: 'graceful stop: stop accepting, finish in-flight requests, exit 0',
  SIGINT: 'graceful stop, as SIGTERM',
  SIGHUP: 'ignored for now (rolling reload is planned); corral does not die on it',
};

/** Queues signals and dispatches them one at a time to `handlers`. Returns a function that removes the listeners. */
export function queueSignals(handlers: Record<MasterSignal, () => void>): () => void {
  const queue: MasterSignal[] = [];
  let scheduled = false;
  const dispatch = () => {
    scheduled = false;
    for (let signal = queue.shift(); signal !== undefined; signal = queue.shift()) handlers[signal]();
  };
  const listeners = (Object.keys(handlers) as MasterSignal[]).map((signal) => {
    const listener = () => {
      queue.push(signal);
      if (!scheduled) {
        scheduled = true;
        setImmediate(dispatch);
      }
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
