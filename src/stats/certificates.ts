// The certificates the stats show: each https file certificate (read again only when its file changes) and the ACME one the master holds; names and expiry, never a key.
import { readFileSync, statSync } from 'node:fs';
import { certificateInfo } from '../acme/certificate-info.ts';
import { ACME_CERTIFICATE_ENV } from '../acme/messages.ts';
import type { Config } from '../config/types.ts';
import type { CertificateStats } from './snapshot.ts';

const DAY_MS = 86_400_000;

interface Read {
  /** What the cached entry was read from: a file's mtime and size, or the ACME certificate's text. */
  version: string;
  domains: string[];
  notAfter: Date;
}

function stats(read: Read, source: string, now: number): CertificateStats {
  return {
    domains: read.domains,
    source,
    not_after: read.notAfter.toISOString(),
    days_left: Math.floor((read.notAfter.getTime() - now) / DAY_MS),
  };
}

/** Keeps what it read by source, so a snapshot a second costs a stat per certificate file and no parse. */
export class CertificateList {
  private readonly read = new Map<string, Read | undefined>();

  list(config: Config, now = Date.now()): CertificateStats[] {
    const out: CertificateStats[] = [];
    const files = new Set(
      (config.https ?? []).flatMap((listener) => (listener.cert === undefined ? [] : [listener.cert])),
    );
    for (const file of files) {
      const found = this.fromFile(file);
      if (found !== undefined) out.push(stats(found, file, now));
    }
    if (config.acme !== undefined) {
      const found = this.fromAcme();
      if (found !== undefined) out.push(stats(found, 'acme', now));
    }
    return out;
  }

  private fromFile(file: string): Read | undefined {
    const info = statSync(file, { throwIfNoEntry: false });
    if (info === undefined) return undefined;
    const version = `${info.mtimeMs}:${info.size}`;
    const cached = this.read.get(file);
    if (cached?.version === version) return cached;
    return this.parse(file, version, () => readFileSync(file, 'utf8'));
  }

  /** The master keeps the certificate it serves in its environment for the workers it forks (src/acme/messages.ts). */
  private fromAcme(): Read | undefined {
    const text = process.env[ACME_CERTIFICATE_ENV];
    if (text === undefined) return undefined;
    const cached = this.read.get('acme');
    if (cached?.version === text) return cached;
    return this.parse('acme', text, () => (JSON.parse(text) as { cert: string }).cert);
  }

  private parse(key: string, version: string, pem: () => string): Read | undefined {
    let read: Read | undefined;
    try {
      const info = certificateInfo(pem());
      read = { version, domains: info.domains, notAfter: info.notAfter };
    } catch {
      read = undefined; // unreadable or not a certificate: not shown (the https listener reports its own errors)
    }
    this.read.set(key, read);
    return read;
  }
}
