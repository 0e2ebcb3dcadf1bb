// What the process that talks to the ACME server (the master, or the single process) tells the listeners, and how workers acknowledge it.

/** A certificate chain and its private key, PEM. */
export interface PemPair {
  cert: string;
  key: string;
}

/**
 * Everything a listener needs to serve ACME: the current certificate (absent until the first issuance) and the
 * challenges in progress. Sent whole each time, so that a worker never depends on having seen an earlier message.
 */
export interface AcmeServing {
  certificate: PemPair | undefined;
  /** HTTP-01: token -> key authorization, answered at /.well-known/acme-challenge/TOKEN on plain-HTTP listeners. */
  http01: [token: string, keyAuthorization: string][];
  /** TLS-ALPN-01: domain -> the self-signed challenge certificate, served to clients that offer ALPN "acme-tls/1". */
  tlsAlpn01: [domain: string, certificate: PemPair][];
}

/** Master -> worker: the ACME state now. `seq` names it for the acknowledgement. */
export interface AcmeStateMessage extends AcmeServing {
  type: 'corral:acme-state';
  seq: number;
}

/** Worker -> master: the state `seq` is in force in this worker. */
export interface AcmeAckMessage {
  type: 'corral:acme-ack';
  seq: number;
}

/**
 * The master keeps the current certificate in its own environment under this name, so that every worker it forks
 * (which inherits that environment) serves it from its first connection, even as another user that may not read
 * the state directory. The worker removes it before loading the app.
 */
export const ACME_CERTIFICATE_ENV = 'CORRAL_ACME_CERTIFICATE';

/** Reads the certificate the master handed over at fork, and hides it from the app's environment. */
export function takeCertificateFromEnv(env: NodeJS.ProcessEnv): PemPair | undefined {
  const text = env[ACME_CERTIFICATE_ENV];
  delete env[ACME_CERTIFICATE_ENV];
  if (text === undefined) return undefined;
  try {
    const pair = JSON.parse(text) as Partial<PemPair>;
    return typeof pair.cert === 'string' && typeof pair.key === 'string'
      ? { cert: pair.cert, key: pair.key }
      : undefined;
  } catch {
    return undefined;
  }
}

const typeOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;

export const isAcmeStateMessage = (value: unknown): value is AcmeStateMessage => typeOf(value) === 'corral:acme-state';
export const isAcmeAckMessage = (value: unknown): value is AcmeAckMessage => typeOf(value) === 'corral:acme-ack';
