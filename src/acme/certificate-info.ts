// What corral reads from a certificate it holds: validity, serial and names (the first certificate of a PEM chain), and when to renew it.
import { X509Certificate } from 'node:crypto';

export interface CertificateInfo {
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** DNS names of the subjectAltName extension, lower case. */
  domains: string[];
}

export function certificateInfo(pem: string): CertificateInfo {
  const cert = new X509Certificate(pem);
  const domains = (cert.subjectAltName ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).toLowerCase());
  return { serial: cert.serialNumber, notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo), domains };
}

/** Renewal starts when a third of the lifetime is left (60 days into a 90-day certificate). */
export function renewalTime(info: CertificateInfo): number {
  const lifetime = info.notAfter.getTime() - info.notBefore.getTime();
  return info.notAfter.getTime() - lifetime / 3;
}

/** True when `info` names every domain of the config. */
export function covers(info: CertificateInfo, domains: readonly string[]): boolean {
  return domains.every((domain) => info.domains.includes(domain));
}

/**
 * The wait before retry `attempt` (1, 2, ...) after a failed renewal: a tenth of the lifetime, at most a minute,
 * doubling each time up to an hour; never past the moment the certificate expires.
 */
export function retryDelay(info: CertificateInfo | undefined, attempt: number, now: number): number {
  const lifetime = info === undefined ? 0 : info.notAfter.getTime() - info.notBefore.getTime();
  const base = lifetime > 0 ? Math.min(60_000, lifetime / 10) : 60_000;
  const delay = Math.min(base * 2 ** (attempt - 1), 3_600_000);
  if (info === undefined) return delay;
  const left = info.notAfter.getTime() - now;
  return left > 1000 ? Math.min(delay, Math.max(1000, left / 2)) : delay;
}
