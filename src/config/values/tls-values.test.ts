// Tests the HTTPS value types: https listeners (uWSGI's ADDR,CERT,KEY), ACME domain names, e-mail and directory.
import { describe, expect, test } from 'vitest';
import { acmeDirectoryType, domainNameType, emailType } from './acme.ts';
import { httpsListenType } from './https-listen.ts';

const message = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues[0]?.message;

describe('https listeners', () => {
  test('ADDR,CERT,KEY', () => {
    expect(httpsListenType.schema.parse(':443, /etc/c.pem , /etc/k.pem')).toEqual({
      address: { kind: 'tcp', host: undefined, port: 443, text: ':443' },
      cert: '/etc/c.pem',
      key: '/etc/k.pem',
    });
  });

  test('ADDR alone (ACME) and a bare port', () => {
    expect(httpsListenType.schema.parse('127.0.0.1:8443')).toEqual({
      address: { kind: 'tcp', host: '127.0.0.1', port: 8443, text: '127.0.0.1:8443' },
    });
    expect(httpsListenType.schema.parse(443)).toEqual({
      address: { kind: 'tcp', host: undefined, port: 443, text: ':443' },
    });
  });

  test.each([':443,cert.pem', ':443,,key.pem', ':443,a,b,c'])('refuses %s, asking for both files', (raw) => {
    expect(message(httpsListenType.schema.safeParse(raw))).toMatch(/give both the certificate and the key file/);
  });

  test('refuses a bad address', () => {
    expect(message(httpsListenType.schema.safeParse('nowhere,c,k'))).toMatch(/"nowhere" is not an address/);
  });
});

describe('ACME values', () => {
  test('domain names are lower-cased; wildcards are refused with the reason', () => {
    expect(domainNameType.schema.parse('WWW.Example.COM.')).toBe('www.example.com');
    expect(domainNameType.schema.parse('localhost')).toBe('localhost');
    expect(message(domainNameType.schema.safeParse('*.example.com'))).toMatch(/DNS-01/);
    expect(domainNameType.schema.safeParse('exa_mple.com').success).toBe(false);
    expect(domainNameType.schema.safeParse('example.com:443').success).toBe(false);
  });

  test('e-mail', () => {
    expect(emailType.schema.parse(' ops@example.com ')).toBe('ops@example.com');
    expect(emailType.schema.safeParse('ops').success).toBe(false);
  });

  test('directory: the two names, or an https URL', () => {
    expect(acmeDirectoryType.schema.parse('letsencrypt')).toBe('letsencrypt');
    expect(acmeDirectoryType.schema.parse('LetsEncrypt-Staging')).toBe('letsencrypt-staging');
    expect(acmeDirectoryType.schema.parse('https://127.0.0.1:14000/dir')).toBe('https://127.0.0.1:14000/dir');
    expect(acmeDirectoryType.schema.safeParse('http://insecure/dir').success).toBe(false);
  });
});
