// Tests when a certificate is renewed and how failed renewals back off.
import { describe, expect, test } from 'vitest';
import { renewalTime, retryDelay, type CertificateInfo } from './certificate-info.ts';

const DAY = 86_400_000;
const info = (days: number, from = 0): CertificateInfo => ({
  serial: '1',
  notBefore: new Date(from),
  notAfter: new Date(from + days * DAY),
  domains: ['example.com'],
});

describe('renewalTime', () => {
  test('a third of the lifetime before expiry: day 60 of a 90-day certificate', () => {
    expect(renewalTime(info(90))).toBe(60 * DAY);
  });
});

describe('retryDelay', () => {
  test('starts at a minute for long certificates and doubles up to an hour', () => {
    const cert = info(90);
    const now = 61 * DAY;
    expect([1, 2, 3, 7, 8, 20].map((attempt) => retryDelay(cert, attempt, now))).toEqual([
      60_000, 120_000, 240_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
  });

  test('starts at a tenth of a short lifetime', () => {
    const short = { ...info(0), notAfter: new Date(30_000) };
    expect(retryDelay(short, 1, 20_000)).toBe(3000);
  });

  test('never waits past half of the time left', () => {
    const cert = info(90);
    const now = 90 * DAY - 600_000;
    expect(retryDelay(cert, 10, now)).toBe(300_000);
  });
});
