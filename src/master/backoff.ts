// How long the master waits before replacing a dead worker: at once after a long life, growing delays after quick deaths.
/** A worker that dies sooner than this after it was forked counts as a quick death. */
export const QUICK_DEATH_MS = 1000;
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 30_000;

/**
 * The delay before the next fork of a slot that has died `quickDeaths` times in a row, each within QUICK_DEATH_MS
 * of its start: 0, then 100 ms doubling up to 30 s, so a crashing app never turns into a fork loop.
 */
export function respawnDelay(quickDeaths: number): number {
  if (quickDeaths <= 0) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (quickDeaths - 1), MAX_DELAY_MS);
}
