// Which ACME challenges corral answers for a config, in order of preference.
import type { Config } from '../config/types.ts';
import type { ChallengeType } from './issue.ts';

/** HTTP-01 on a plain-HTTP listener when there is one (port 80 in production), else TLS-ALPN-01 on the https one (443). */
export function challengesFor(config: Config): ChallengeType[] {
  return config.http.some((address) => address.kind === 'tcp') ? ['http-01', 'tls-alpn-01'] : ['tls-alpn-01'];
}
