// Checks the small pure parts: cache policies and Expires, SPA fallback matching, multipart layout, ETags and loop turns.
import { describe, expect, it } from 'vitest';
import { cachePolicies, expiresIn } from './cache-headers.ts';
import { currentTurn } from './loop-turn.ts';
import { fallbackFor, sortFallbacks } from './fallback.ts';
import { layoutMultipart } from './multipart.ts';
import { etagFor } from './validators.ts';

describe('cachePolicies', () => {
  const policyFor = cachePolicies([
    { pattern: '\\.js$', seconds: 600 },
    { pattern: '/assets/', seconds: 60 },
  ]);
  it('the first matching rule wins; no match revalidates', () => {
    expect(policyFor('/srv/assets/a.js')).toEqual({ cacheControl: 'public, max-age=600', expiresSeconds: 600 });
    expect(policyFor('/srv/assets/a.css').cacheControl).toBe('public, max-age=60');
    expect(policyFor('/srv/a.html')).toEqual({ cacheControl: 'no-cache', expiresSeconds: undefined });
  });
});

describe('fallbackFor', () => {
  const rules = sortFallbacks([
    { prefix: '/app', file: '/spa/app.html' },
    { prefix: '/app/admin', file: '/spa/admin.html' },
  ]);
  it.each([
    ['/app/x', 'text/html', '/spa/app.html'],
    ['/app', 'text/html', '/spa/app.html'],
    ['/app/admin/users', 'text/html,*/*', '/spa/admin.html'],
    ['/apple', 'text/html', undefined],
    ['/app/x', '*/*', undefined],
    ['/app/x', undefined, undefined],
  ])('%s with Accept %s -> %s', (rawPath, accept, file) => {
    expect(fallbackFor(rules, rawPath, accept)).toBe(file);
  });
});

describe('layoutMultipart', () => {
  it('announces the exact length of what it lays out', () => {
    const layout = layoutMultipart(
      [
        { start: 0, end: 1 },
        { start: 5, end: 9 },
      ],
      10,
      'text/plain',
    );
    const length = layout.parts.reduce(
      (sum, part) => sum + part.head.length + part.range.end - part.range.start + 1,
      layout.tail.length,
    );
    expect(layout.length).toBe(length);
    expect(layout.contentType).toMatch(/^multipart\/byteranges; boundary=[0-9a-f]{24}$/);
  });
});

describe('etagFor', () => {
  it('is strong, and differs per coding, size and time', () => {
    expect(etagFor(1024, 1700000000123)).toBe('"400-18bcfe5687b"');
    expect(etagFor(1024, 1700000000123, 'br')).toBe('"400-18bcfe5687b-br"');
    expect(etagFor(1025, 1700000000123)).not.toBe(etagFor(1024, 1700000000123));
  });
});

describe('currentTurn', () => {
  it('is the same within a turn and changes after it', async () => {
    const first = currentTurn();
    expect(currentTurn()).toBe(first);
    await Promise.resolve();
    expect(currentTurn()).toBe(first);
    await new Promise((resolve) => setImmediate(resolve));
    expect(currentTurn()).toBeGreaterThan(first);
  });
});

describe('expiresIn', () => {
  it('is that many seconds ahead, as an HTTP date', () => {
    const ahead = Date.parse(expiresIn(3600)) - Date.now();
    expect(ahead).toBeGreaterThan(3598_000);
    expect(ahead).toBeLessThanOrEqual(3600_000);
  });
});
