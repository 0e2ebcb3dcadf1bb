// Types of reload-clients.mjs, for the TypeScript end-to-end tests that use it.
export interface Counts {
  /** Requests sent. */
  requests: number;
  /** Answered with a status below 500. */
  ok: number;
  status5xx: number;
  /** 5xx answers plus requests that got no complete answer (socket errors, timeouts). */
  failed: number;
  /** Fresh connections refused (nothing listens any more): not requests the server accepted. */
  refused: number;
  /** Error codes seen, with how often. */
  errors: Record<string, number>;
  /** New connections opened. */
  connections: number;
  /** Answers that carried `Connection: close`. */
  closedByServer: number;
}

export function startClients(options: { url: string; clients: number; durationMs?: number; stopOnClose?: boolean }): {
  counts: Counts;
  done: Promise<Counts>;
  stop(): void;
};
