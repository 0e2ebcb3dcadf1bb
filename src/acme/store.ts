// The ACME state directory: the account key and the current certificate with its key, created with owner-only permissions (0700, files 0600).
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PemPair } from './messages.ts';

const ACCOUNT_KEY = 'account-key.pem';
const ACCOUNT = 'account.json';
const CERTIFICATE = 'certificate.pem';
const CERTIFICATE_KEY = 'certificate-key.pem';

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a key behind. */
function writePrivate(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}

export class AcmeStore {
  constructor(readonly dir: string) {}

  /** Creates the directory if needed and makes it the owner's alone (an existing one is tightened to 0700 too). */
  prepare(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  readAccountKey(): string | undefined {
    return readIfThere(join(this.dir, ACCOUNT_KEY));
  }

  writeAccountKey(pem: string): void {
    writePrivate(join(this.dir, ACCOUNT_KEY), pem);
  }

  /** The URL of the account registered at `directory` with the stored key, if there is one. */
  readAccountUrl(directory: string): string | undefined {
    const text = readIfThere(join(this.dir, ACCOUNT));
    if (text === undefined) return undefined;
    try {
      const account = JSON.parse(text) as { directory?: unknown; url?: unknown };
      return account.directory === directory && typeof account.url === 'string' ? account.url : undefined;
    } catch {
      return undefined;
    }
  }

  writeAccountUrl(directory: string, url: string): void {
    writePrivate(join(this.dir, ACCOUNT), `${JSON.stringify({ directory, url })}\n`);
  }

  readCertificate(): PemPair | undefined {
    const cert = readIfThere(join(this.dir, CERTIFICATE));
    const key = readIfThere(join(this.dir, CERTIFICATE_KEY));
    return cert === undefined || key === undefined ? undefined : { cert, key };
  }

  /** The key first: a reader that finds the new certificate also finds its key. */
  writeCertificate(pair: PemPair): void {
    writePrivate(join(this.dir, CERTIFICATE_KEY), pair.key);
    writePrivate(join(this.dir, CERTIFICATE), pair.cert);
  }
}
