// SIGHUP in a worker or the single process: logged and ignored, so a closed terminal does not stop corral.
import type { Logger } from '../log/logger.ts';

/** The one line every corral process logs on SIGHUP (the master's signals table uses it too). */
export const SIGHUP_IGNORED = 'SIGHUP ignored: a closed terminal does not stop corral (rolling reload is planned)';

/** Installs the SIGHUP listener; returns a function that removes it. */
export function ignoreHangups(log: Logger): () => void {
  const onHangup = () => log.warn({ signal: 'SIGHUP' }, SIGHUP_IGNORED);
  process.on('SIGHUP', onHangup);
  return () => process.off('SIGHUP', onHangup);
}
