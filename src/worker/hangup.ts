// SIGHUP in a worker or the single process: logged and ignored, so a closed terminal does not stop corral (the master reloads on it).
import type { Logger } from '../log/logger.ts';

/** The line a worker or the single process logs on SIGHUP. */
const SIGHUP_IGNORED =
  'SIGHUP ignored: a closed terminal does not stop corral (the master reloads on SIGHUP; single mode has none)';

/** Installs the SIGHUP listener; returns a function that removes it. */
export function ignoreHangups(log: Logger): () => void {
  const onHangup = () => log.warn({ signal: 'SIGHUP' }, SIGHUP_IGNORED);
  process.on('SIGHUP', onHangup);
  return () => process.off('SIGHUP', onHangup);
}
