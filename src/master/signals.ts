// The master's signals table: handlers only queue the signal; one dispatcher runs the named handler for each, in order.
export type MasterSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGTTIN' | 'SIGTTOU' | 'SIGUSR1';

/**
 * Queues signals and dispatches them one at a time to `handlers` (docs/signals.md says what each one means).
 * Returns a function that removes the listeners.
 */
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
