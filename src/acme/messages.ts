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

const typeOf = (value: unknown): unknown => (typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined);

export const isAcmeStateMessage = (value: unknown): value is AcmeStateMessage => typeOf(value) === 'corral:acme-state';
export const isAcmeAckMessage = (value: unknown): value is AcmeAckMessage => typeOf(value) === 'corral:acme-ack';
