// Tests how the HTTPS settings resolve: certificate files checked and resolved beside the config, and the combinations that cannot work refused with file, line and the fix.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../errors/corral-error.ts';
import { loadConfig } from './load.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corral-tls-config-'));
  writeFileSync(join(dir, 'cert.pem'), 'not parsed here');
  writeFileSync(join(dir, 'key.pem'), 'not parsed here');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(ini: string) {
  writeFileSync(join(dir, 'app.ini'), `[corral]\n${ini}\n`);
  return loadConfig({ configFile: 'app.ini', cliValues: {}, env: {}, cwd: dir });
}

function problems(ini: string): string[] {
  try {
    load(ini);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('https listeners with their own files', () => {
  test('the files resolve beside the config file; http2 is on by default', () => {
    const { config } = load('https = 127.0.0.1:8443,cert.pem,key.pem');
    expect(config.https).toEqual([
      {
        address: { kind: 'tcp', host: '127.0.0.1', port: 8443, text: '127.0.0.1:8443' },
        cert: join(dir, 'cert.pem'),
        key: join(dir, 'key.pem'),
      },
    ]);
    expect(config.http2).toBe(true);
    expect(config.acme).toBeUndefined();
  });

  test('a config without https has none of the HTTPS fields', () => {
    const { config } = load('http = 127.0.0.1:8080');
    expect(config.https).toBeUndefined();
    expect(config.http2).toBeUndefined();
    expect(config.httpToHttps).toBeUndefined();
  });

  test('a missing certificate file is named with the line of its listener', () => {
    const lines = problems('http = 127.0.0.1:8080\nhttps = 127.0.0.1:8443,missing.pem,key.pem');
    expect(
      lines.some((line) => line.includes('app.ini:3') && line.includes(`"${join(dir, 'missing.pem')}" does not exist`)),
    ).toBe(true);
  });

  test.skipIf(process.getuid?.() === 0)('an unreadable key file says which user reads it', () => {
    writeFileSync(join(dir, 'locked.pem'), 'secret');
    chmodSync(join(dir, 'locked.pem'), 0o000);
    const lines = problems('https = 127.0.0.1:8443,cert.pem,locked.pem');
    expect(lines.some((line) => line.includes('cannot be read') && line.includes('the user it starts as'))).toBe(true);
  });

  test('a unix socket path resolves beside the config file', () => {
    const { config } = load('https = run/tls.sock,cert.pem,key.pem');
    expect(config.https?.[0]?.address).toMatchObject({ kind: 'unix', path: join(dir, 'run/tls.sock') });
  });
});

describe('combinations that cannot work', () => {
  test('an https listener without files and without acme-domains', () => {
    const lines = problems('https = 127.0.0.1:8443');
    expect(lines.some((line) => line.includes('has no certificate') && line.includes('acme-domains'))).toBe(true);
  });

  test('acme-domains with no listener to serve the certificate', () => {
    const lines = problems('acme-domains = example.com\nhttps = 127.0.0.1:8443,cert.pem,key.pem');
    expect(lines.some((line) => line.includes('no https listener serves the ACME certificate'))).toBe(true);
  });

  test('http-to-https with nothing to redirect to', () => {
    const lines = problems('http-to-https = true');
    expect(lines.some((line) => line.includes('app.ini:2') && line.includes('no https listener to redirect to'))).toBe(
      true,
    );
  });
});

describe('ACME', () => {
  test('domains, the state directory beside the config and the e-mail become the acme field', () => {
    const { config } = load(
      'https = 127.0.0.1:8443\nhttp-to-https = true\nacme-domains = example.com\nacme-email = ops@example.com',
    );
    expect(config.acme).toMatchObject({
      domains: ['example.com'],
      stateDir: join(dir, 'corral-acme'),
      email: 'ops@example.com',
    });
    expect(config.httpToHttps).toBe(true);
  });
});
