// Single mode's ACME: the one process keeps the certificate itself and applies it to its own listeners.
import { challengesFor } from '../acme/challenges.ts';
import type { Config } from '../config/types.ts';
import { reportFatal } from '../errors/report.ts';
import type { TlsState } from '../http/tls.ts';
import type { Logger } from '../log/logger.ts';

/** Starts keeping the certificate (a no-op without acme-domains); returns a function that stops the renewals. */
export async function startOwnCertificates(
  config: Config,
  log: Logger,
  tls: TlsState | undefined,
  onFatal: () => void,
): Promise<() => void> {
  if (config.acme === undefined || tls === undefined) return () => {};
  const { CertificateManager } = await import('../acme/manager.ts');
  const fail = (message: string) => {
    log.fatal({ code: 'CORRAL_ACME_FAILED' }, message);
    reportFatal(message);
    onFatal();
  };
  const manager = new CertificateManager({
    acme: config.acme,
    challenges: challengesFor(config),
    log: log.child({ part: 'acme' }),
    publisher: { publish: async (state) => tls.apply(state) },
    onFatal: fail,
  });
  manager
    .load()
    .then((served) => (served ? undefined : manager.obtainFirst()))
    .catch((err: unknown) => fail(`ACME: ${err instanceof Error ? err.message : String(err)}`));
  return () => manager.stop();
}
