// Keeps the ACME certificate: loads it from the state directory or orders it, serves it through the publisher, renews it with a third of its lifetime left, and retries failures with backoff.
import type { AcmeConfig } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import { certificateInfo, covers, renewalTime, retryDelay, type CertificateInfo } from './certificate-info.ts';
import {
  accountUrlOf,
  createAccountKey,
  createClient,
  directoryUrl,
  orderCertificate,
  type AcmeClient,
  type ChallengeBoard,
  type ChallengeType,
} from './issue.ts';
import type { AcmeServing, PemPair } from './messages.ts';
import { failureReason } from './reach.ts';
import { AcmeStore } from './store.ts';

/** Hands the state to whatever serves it (the workers over IPC, or this process's own listeners); resolves once they serve it. */
export interface Publisher {
  publish(state: AcmeServing): Promise<void>;
}

export interface ManagerOptions {
  acme: AcmeConfig;
  /** In order of preference. */
  challenges: readonly ChallengeType[];
  log: Logger;
  publisher: Publisher;
  /** Called when there is no certificate at all and the first orders failed: corral cannot serve HTTPS. */
  onFatal(message: string): void;
}

/** Tries of a first order before corral gives up, and the wait before each retry. */
const FIRST_TRIES = 3;
const FIRST_RETRY_MS = 2000;
/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class CertificateManager {
  private readonly store: AcmeStore;
  private readonly http01 = new Map<string, string>();
  private readonly tlsAlpn01 = new Map<string, PemPair>();
  private certificate: PemPair | undefined;
  private info: CertificateInfo | undefined;
  private client: AcmeClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;

  constructor(private readonly options: ManagerOptions) {
    this.store = new AcmeStore(options.acme.stateDir);
  }

  /**
   * Prepares the state directory and serves the stored certificate if it still fits. Returns true when a certificate
   * is being served; otherwise call `obtainFirst` once the listeners can answer challenges.
   */
  async load(): Promise<boolean> {
    const { log, acme } = this.options;
    this.store.prepare();
    let accountKey = this.store.readAccountKey();
    if (accountKey === undefined) {
      accountKey = await createAccountKey();
      this.store.writeAccountKey(accountKey);
    }
    const url = directoryUrl(acme.directory);
    this.client = createClient(url, accountKey, this.store.readAccountUrl(url));
    const pair = this.store.readCertificate();
    if (pair === undefined) return false;
    let info: CertificateInfo;
    try {
      info = certificateInfo(pair.cert);
    } catch (err) {
      log.warn(
        { dir: acme.stateDir, reason: reasonOf(err) },
        'the stored certificate cannot be read: ordering a new one',
      );
      return false;
    }
    if (!covers(info, acme.domains) || info.notAfter.getTime() <= Date.now()) {
      log.info(
        { has: info.domains, wanted: acme.domains, notAfter: info.notAfter },
        'the stored certificate does not fit (names or expiry): ordering a new one',
      );
      return false;
    }
    await this.serve(pair, info);
    log.info(
      { domains: info.domains, serial: info.serial, notAfter: info.notAfter, dir: acme.stateDir },
      'ACME certificate loaded',
    );
    this.schedule(renewalTime(info) - Date.now());
    return true;
  }

  /** Orders the first certificate, retrying a little; calls onFatal when it still has none. */
  async obtainFirst(): Promise<void> {
    for (let attempt = 1; attempt <= FIRST_TRIES && !this.stopped; attempt++) {
      if (await this.order(attempt < FIRST_TRIES ? FIRST_RETRY_MS * attempt : undefined))
        return this.schedule(renewalTime(this.info!) - Date.now());
      if (attempt < FIRST_TRIES) await new Promise((resolve) => setTimeout(resolve, FIRST_RETRY_MS * attempt));
    }
    if (this.stopped) return;
    const { acme } = this.options;
    this.options.onFatal(
      `no certificate for ${acme.domains.join(', ')}: ${FIRST_TRIES} orders at ${directoryUrl(acme.directory)} failed (the log has each reason); ` +
        'check that the names point at this machine and that the http (80) or https (443) port is open to the internet',
    );
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One order; true when a new certificate is served. Logs the failure with the server's reason and the retry. */
  private async order(retryInMs: number | undefined): Promise<boolean> {
    const { log, acme, challenges } = this.options;
    const started = performance.now();
    log.info(
      { domains: acme.domains, directory: directoryUrl(acme.directory), challenges },
      'ordering an ACME certificate',
    );
    try {
      const client = this.client!;
      const known = accountUrlOf(client);
      const pair = await orderCertificate(client, {
        email: acme.email,
        domains: acme.domains,
        challenges,
        board: this.board(),
      });
      const registered = accountUrlOf(client);
      if (registered !== undefined && registered !== known)
        this.store.writeAccountUrl(directoryUrl(acme.directory), registered);
      const info = certificateInfo(pair.cert);
      this.store.writeCertificate(pair);
      await this.serve(pair, info);
      this.failures = 0;
      const ms = Math.round(performance.now() - started);
      log.info(
        {
          domains: info.domains,
          serial: info.serial,
          notAfter: info.notAfter,
          renewAt: new Date(renewalTime(info)),
          ms,
        },
        'ACME certificate issued and served',
      );
      return true;
    } catch (err) {
      this.failures++;
      await this.clearChallenges();
      const still =
        this.info === undefined
          ? 'no certificate yet'
          : `still serving serial ${this.info.serial} until ${this.info.notAfter.toISOString()}`;
      const reason = await failureReason(err, directoryUrl(acme.directory));
      log.error(
        {
          domains: acme.domains,
          reason,
          attempt: this.failures,
          retryInSeconds: retryInMs === undefined ? undefined : retryInMs / 1000,
        },
        `ACME order failed (${still})`,
      );
      return false;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const wait = Math.max(0, delayMs);
    // Renewal is months away: wake up within setTimeout's range and look again.
    this.timer = setTimeout(() => void this.renewOrWait(wait > MAX_TIMER_MS), Math.min(wait, MAX_TIMER_MS));
    this.timer.unref();
  }

  private async renewOrWait(early: boolean): Promise<void> {
    if (early && this.info !== undefined) return this.schedule(renewalTime(this.info) - Date.now());
    const retry = retryDelay(this.info, this.failures + 1, Date.now());
    if (await this.order(retry)) this.schedule(renewalTime(this.info!) - Date.now());
    else this.schedule(retry);
  }

  private async serve(pair: PemPair, info: CertificateInfo): Promise<void> {
    this.certificate = pair;
    this.info = info;
    await this.publish();
  }

  private publish(): Promise<void> {
    return this.options.publisher.publish({
      certificate: this.certificate,
      http01: [...this.http01],
      tlsAlpn01: [...this.tlsAlpn01],
    });
  }

  private async clearChallenges(): Promise<void> {
    if (this.http01.size + this.tlsAlpn01.size === 0) return;
    this.http01.clear();
    this.tlsAlpn01.clear();
    await this.publish();
  }

  private board(): ChallengeBoard {
    return {
      addHttp01: (token, keyAuthorization) => {
        this.http01.set(token, keyAuthorization);
        return this.publish();
      },
      removeHttp01: (token) => {
        this.http01.delete(token);
        return this.publish();
      },
      addTlsAlpn01: (domain, certificate) => {
        this.tlsAlpn01.set(domain, certificate);
        return this.publish();
      },
      removeTlsAlpn01: (domain) => {
        this.tlsAlpn01.delete(domain);
        return this.publish();
      },
    };
  }
}
