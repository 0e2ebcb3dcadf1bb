// One certificate order over ACME with acme-client: the account, the challenges (HTTP-01 or TLS-ALPN-01, answered by corral's own listeners), the key and the chain.
import acme from 'acme-client';
import type { PemPair } from './messages.ts';

export type ChallengeType = 'http-01' | 'tls-alpn-01';

// acme-client retries a request that failed on the network or got a 429/5xx up to 5 times, 5 s apart and growing
// (75 s per request), before an order fails: corral retries whole orders with its own backoff (manager.ts) and wants a
// failure reported in seconds. A Retry-After header from the server is still obeyed.
const settings = (
  acme.axios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number; retryDefaultDelay: number } }
).acmeSettings;
settings.retryMaxAttempts = 2;
settings.retryDefaultDelay = 1;

/** Where the challenges go while an order runs; each call resolves once every listener serves the change. */
export interface ChallengeBoard {
  addHttp01(token: string, keyAuthorization: string): Promise<void>;
  removeHttp01(token: string): Promise<void>;
  addTlsAlpn01(domain: string, certificate: PemPair): Promise<void>;
  removeTlsAlpn01(domain: string): Promise<void>;
}

export interface OrderOptions {
  email: string | undefined;
  domains: readonly string[];
  /** In order of preference; the first one the ACME server offers is used. */
  challenges: readonly ChallengeType[];
  board: ChallengeBoard;
}

/** Names acme-client knows for Let's Encrypt, mapped with its own table; anything else is already a URL. */
export function directoryUrl(directory: string): string {
  if (directory === 'letsencrypt') return acme.directory.letsencrypt.production;
  if (directory === 'letsencrypt-staging') return acme.directory.letsencrypt.staging;
  return directory;
}

export const createAccountKey = async (): Promise<string> => (await acme.crypto.createPrivateEcdsaKey()).toString();

export type AcmeClient = InstanceType<typeof acme.Client>;

/**
 * One client for the life of the process: it keeps the account URL after the first order. With the URL of an
 * account registered earlier, no registration is sent at all (acme-client would otherwise send an account update
 * that some servers refuse as empty).
 */
export function createClient(directoryUrl: string, accountKey: string, accountUrl: string | undefined): AcmeClient {
  // Polls the order at 0.5-5 s: acme-client's default of 5 s at least would add seconds to every issuance.
  return new acme.Client({
    directoryUrl,
    accountKey,
    ...(accountUrl !== undefined && { accountUrl }),
    backoffMin: 500,
    backoffMax: 5000,
    backoffAttempts: 12,
  });
}

/** The account URL the client knows, once it has registered or found its account. */
export function accountUrlOf(client: AcmeClient): string | undefined {
  try {
    return client.getAccountUrl();
  } catch {
    return undefined;
  }
}

/** Runs one order to its end; throws with the ACME server's reason when it fails. */
export async function orderCertificate(client: AcmeClient, options: OrderOptions): Promise<PemPair> {
  const key = await acme.crypto.createPrivateEcdsaKey();
  const [, csr] = await acme.crypto.createCsr({ commonName: options.domains[0]!, altNames: [...options.domains] }, key);
  const { board } = options;
  const cert = await client.auto({
    csr,
    ...(options.email !== undefined && { email: options.email }),
    termsOfServiceAgreed: true,
    challengePriority: [...options.challenges],
    // acme-client's own pre-check asks the system resolver and ports 80/443 from here: the ACME server's check is the one that counts.
    skipChallengeVerification: true,
    async challengeCreateFn(authz, challenge, keyAuthorization) {
      // acme-client's types know http-01 and dns-01 only; it handles tls-alpn-01 all the same.
      const type: string = challenge.type;
      if (type === 'http-01') return board.addHttp01(challenge.token, keyAuthorization);
      if (type === 'tls-alpn-01') {
        const challengeKey = await acme.crypto.createPrivateEcdsaKey();
        const [, challengeCert] = await acme.crypto.createAlpnCertificate(authz, keyAuthorization, challengeKey);
        return board.addTlsAlpn01(authz.identifier.value, {
          cert: challengeCert.toString(),
          key: challengeKey.toString(),
        });
      }
      throw new Error(`the ACME server offered only a ${type} challenge, which corral does not answer`);
    },
    async challengeRemoveFn(authz, challenge) {
      const type: string = challenge.type;
      if (type === 'http-01') return board.removeHttp01(challenge.token);
      if (type === 'tls-alpn-01') return board.removeTlsAlpn01(authz.identifier.value);
    },
  });
  return { cert, key: key.toString() };
}
