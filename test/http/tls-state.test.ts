// Tests a worker's TLS state on a real listener: the ACME certificate swapped in live, and the TLS-ALPN-01 challenge certificate shown only to clients that ask for acme-tls/1.
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TlsState } from '../../src/http/tls.ts';
import { makeLeaf, makeTestCa, peerCertificate, type TestCa } from '../e2e/tls-fixtures.ts';

describe('TlsState on an HTTP/2 listener', () => {
  let ca: TestCa;
  let challenge: TestCa;
  const state = new TlsState(true);
  const server = createSecureServer(
    {
      ...state.serverOptions({ address: { kind: 'tcp', host: '127.0.0.1', port: 0, text: '127.0.0.1:0' } }),
      allowHTTP1: true,
    },
    (_req, res) => res.end('ok'),
  );
  state.servesAcme(server);
  let port = 0;
  const pair = (certFile: string, keyFile: string) => ({
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
  });

  beforeAll(async () => {
    ca = makeTestCa();
    challenge = makeTestCa('corral-challenge-');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('has no certificate before the first state, then serves the one applied', async () => {
    await expect(peerCertificate(port, 'localhost', ca.caPem)).rejects.toThrow();
    state.apply({ certificate: pair(ca.certFile, ca.keyFile), http01: [], tlsAlpn01: [] });
    const served = await peerCertificate(port, 'localhost', ca.caPem, ['h2', 'http/1.1']);
    expect(served.alpn).toBe('h2');
  });

  test('swaps a new certificate in without a restart', async () => {
    const before = (await peerCertificate(port, 'localhost', ca.caPem)).cert.serialNumber;
    const next = makeLeaf(ca.dir, 'next');
    state.apply({ certificate: pair(next.certFile, next.keyFile), http01: [], tlsAlpn01: [] });
    expect((await peerCertificate(port, 'localhost', ca.caPem)).cert.serialNumber).not.toBe(before);
  });

  test('shows the challenge certificate to acme-tls/1 clients only, while a challenge runs', async () => {
    const real = (await peerCertificate(port, 'localhost', ca.caPem)).cert.serialNumber;
    state.apply({
      certificate: pair(ca.certFile, ca.keyFile),
      http01: [],
      tlsAlpn01: [['localhost', pair(challenge.certFile, challenge.keyFile)]],
    });
    const validator = await peerCertificate(port, 'localhost', challenge.caPem, ['acme-tls/1']);
    expect(validator.alpn).toBe('acme-tls/1');
    expect(validator.cert.serialNumber).not.toBe(real);
    const browser = await peerCertificate(port, 'localhost', ca.caPem, ['h2', 'http/1.1']);
    expect(browser.alpn).toBe('h2');
    expect(browser.cert.serialNumber).toBe((await peerCertificate(port, 'localhost', ca.caPem)).cert.serialNumber);
    // Another name asking for acme-tls/1 gets no challenge: no protocol in common.
    await expect(peerCertificate(port, 'other.example', ca.caPem, ['acme-tls/1'], false)).rejects.toThrow(
      /no application protocol/,
    );
  });

  test('answers HTTP-01 tokens while they are in the state', () => {
    state.apply({ certificate: undefined, http01: [['t1', 't1.k']], tlsAlpn01: [] });
    expect(state.http01Answer('t1')).toBe('t1.k');
    state.apply({ certificate: undefined, http01: [], tlsAlpn01: [] });
    expect(state.http01Answer('t1')).toBeUndefined();
  });
});
