// The TLS side of a worker's listeners: secure contexts from CERT/KEY files or from the ACME state, ALPN (h2, http/1.1, acme-tls/1) and the challenge certificate.
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext, type Server as TlsServer, type TlsOptions } from 'node:tls';
import type { HttpsListen } from '../config/types.ts';
import type { AcmeServing, PemPair } from '../acme/messages.ts';

/** The ALPN protocol of the TLS-ALPN-01 challenge (RFC 8737). */
export const ACME_TLS_ALPN = 'acme-tls/1';

/** The ACME state one process serves, and the TLS servers that show its certificate. */
export class TlsState {
  private acmeCertificate: PemPair | undefined;
  private readonly acmeServers = new Set<TlsServer>();
  private readonly http01 = new Map<string, string>();
  private readonly challengeContexts = new Map<string, SecureContext>();
  /**
   * Node asks for the ALPN protocol before it asks (SNICallback) for the certificate, both inside one synchronous
   * handshake step: the servername whose client chose "acme-tls/1" is kept here for the SNICallback that follows.
   */
  private alpnChallenge: string | undefined;

  /** How long a client gets for its TLS handshake (client-header-timeout); undefined: node:tls's 120 s. */
  handshakeTimeoutMs: number | undefined;

  constructor(private readonly http2: boolean) {}

  /** Takes the state the ACME process sent: swaps the certificate into every ACME listener, and the challenges in. */
  apply(state: AcmeServing): void {
    this.http01.clear();
    for (const [token, keyAuthorization] of state.http01) this.http01.set(token, keyAuthorization);
    this.challengeContexts.clear();
    for (const [domain, pair] of state.tlsAlpn01) this.challengeContexts.set(domain, createSecureContext(pair));
    const next = state.certificate;
    if (next !== undefined && next.cert !== this.acmeCertificate?.cert) {
      this.acmeCertificate = next;
      for (const server of this.acmeServers) server.setSecureContext(next);
    }
  }

  /** Starts from the certificate the master handed over at fork (before any message from it). */
  useInheritedCertificate(pair: PemPair | undefined): void {
    if (pair !== undefined && this.acmeCertificate === undefined) this.acmeCertificate = pair;
  }

  /** The key authorization of an HTTP-01 token in progress. */
  http01Answer(token: string): string | undefined {
    return this.http01.get(token);
  }

  /** Options for the TLS server of `listener`: its files (read now), or the ACME certificate (none before the first issuance). */
  serverOptions(listener: HttpsListen): TlsOptions {
    const protocols = this.http2 ? ['h2', 'http/1.1'] : ['http/1.1'];
    const options: TlsOptions = {
      ...(this.handshakeTimeoutMs !== undefined && { handshakeTimeout: this.handshakeTimeoutMs }),
      ALPNCallback: ({ servername, protocols: offered }) => {
        this.alpnChallenge = undefined;
        if (offered.includes(ACME_TLS_ALPN) && servername !== undefined && this.challengeContexts.has(servername)) {
          this.alpnChallenge = servername;
          return ACME_TLS_ALPN;
        }
        // A client that offers none of ours gets the no_application_protocol alert, as RFC 7301 says.
        return protocols.find((protocol) => offered.includes(protocol));
      },
      SNICallback: (servername, callback) => {
        const challenge = this.alpnChallenge === servername ? this.challengeContexts.get(servername) : undefined;
        this.alpnChallenge = undefined;
        // undefined: the server's own context (its files, or the ACME certificate set with setSecureContext).
        callback(null, challenge);
      },
    };
    if (listener.cert !== undefined && listener.key !== undefined) {
      options.cert = readFileSync(listener.cert);
      options.key = readFileSync(listener.key);
    } else if (this.acmeCertificate !== undefined) {
      Object.assign(options, this.acmeCertificate);
    }
    return options;
  }

  /** Registers a server that serves the ACME certificate (a listener given without files). */
  servesAcme(server: TlsServer): void {
    this.acmeServers.add(server);
  }
}
