// Resolves the HTTPS settings (https, http2, http2-max-*, http-to-https, acme-*) into Config fields, checking the files and the combinations that make sense.
import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import type { SettingValues } from './schema.ts';
import type { AcmeConfig, Config, HttpsListen } from './types.ts';

type TlsFields = Pick<Config, 'https' | 'http2' | 'http2Limits' | 'httpToHttps' | 'acme'>;
type TlsKey = 'https' | 'http-to-https' | 'acme-domains';

function fileProblem(path: string): string | undefined {
  try {
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? `file "${path}" does not exist`
      : `file "${path}" cannot be read (${code ?? 'error'}; corral reads it as the user it starts as)`;
  }
}

/**
 * Paths resolve against `base`. Settings left at their defaults stay absent, so a config without HTTPS reads as
 * before. Problems go to `errors`, each prefixed by `where` (file, line and key).
 */
export function resolveTls(
  values: SettingValues,
  base: string,
  where: (key: TlsKey, item?: number) => string,
  errors: string[],
): TlsFields {
  const fields: TlsFields = {};
  const https = values.https.map((spec, index): HttpsListen => {
    const address =
      spec.address.kind === 'unix'
        ? { ...spec.address, path: resolve(base, spec.address.path), text: resolve(base, spec.address.path) }
        : spec.address;
    if (spec.cert === undefined || spec.key === undefined) return { address };
    const cert = resolve(base, spec.cert);
    const key = resolve(base, spec.key);
    for (const problem of [fileProblem(cert), fileProblem(key)])
      if (problem !== undefined) errors.push(`${where('https', index)}${problem}`);
    return { address, cert, key };
  });
  const acmeListeners = https.filter((listener) => listener.cert === undefined);
  const domains = values['acme-domains'];
  if (acmeListeners.length > 0 && domains.length === 0) {
    const index = https.indexOf(acmeListeners[0]!);
    errors.push(
      `${where('https', index)}"${https[index]!.address.text}" has no certificate: give its files ("ADDRESS,CERT,KEY") or set acme-domains to get one automatically`,
    );
  }
  if (domains.length > 0 && acmeListeners.length === 0) {
    errors.push(
      `${where('acme-domains')}no https listener serves the ACME certificate: add one without files, such as "https = :443"`,
    );
  }
  if (values['http-to-https'] && https.length === 0)
    errors.push(
      `${where('http-to-https')}there is no https listener to redirect to: add one ("https = :443,CERT,KEY" or "https = :443" with acme-domains)`,
    );
  if (https.length > 0) {
    fields.https = https;
    fields.http2 = values.http2;
    if (values.http2)
      fields.http2Limits = {
        maxConcurrentStreams: values['http2-max-concurrent-streams'],
        maxHeaderListSize: values['http2-max-header-list-size'],
        maxResets: values['http2-max-resets'],
        maxControlFrames: values['http2-max-control-frames'],
      };
  }
  if (values['http-to-https']) fields.httpToHttps = true;
  if (domains.length > 0) {
    const acme: AcmeConfig = {
      domains,
      directory: values['acme-directory'],
      stateDir: resolve(base, values['acme-state-dir']),
    };
    if (values['acme-email'] !== undefined) acme.email = values['acme-email'];
    fields.acme = acme;
  }
  return fields;
}
