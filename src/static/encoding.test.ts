// Checks Accept-Encoding negotiation (q-values, *, aliases) and which types count as compressible.
import { describe, expect, it } from 'vitest';
import { acceptedCodings, isCompressible, ZSTD_SUPPORTED } from './encoding.ts';

const z = ZSTD_SUPPORTED ? ['zstd'] : [];

describe('acceptedCodings', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['identity', []],
    ['gzip', ['gzip']],
    ['x-gzip', ['gzip']],
    ['gzip, deflate, br', ['br', 'gzip']],
    ['gzip, deflate, br, zstd', ['br', ...z, 'gzip']],
    ['br;q=0.1, gzip', ['gzip', 'br']],
    ['br;q=0, gzip;q=0.5', ['gzip']],
    ['*', ['br', ...z, 'gzip']],
    ['*;q=0.5, gzip', ['gzip', 'br', ...z]],
    ['GZIP', ['gzip']],
  ])('%j -> %j', (header, codings) => {
    expect(acceptedCodings(header).codings).toEqual(codings);
  });
});

describe('isCompressible', () => {
  it.each([
    'text/html; charset=utf-8',
    'text/css',
    'application/json',
    'text/javascript',
    'image/svg+xml',
    'application/wasm',
  ])('%s yes', (type) => {
    expect(isCompressible(type)).toBe(true);
  });
  it.each(['image/png', 'image/jpeg', 'video/mp4', 'application/zip', 'font/woff2', 'application/octet-stream'])(
    '%s no',
    (type) => {
      expect(isCompressible(type)).toBe(false);
    },
  );
});
