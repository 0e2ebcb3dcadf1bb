// Picking the hashed asset a framework's page links to.
import { describe, expect, it } from 'vitest';
import { describeAsset, hashedAsset } from './hashed-asset.mjs';

describe('hashedAsset', () => {
  it('finds the first URL under the prefix in an attribute', () => {
    const html = '<link rel="icon" href="/logo.svg"><link href="/_next/static/chunks/0uyl.js" rel="preload">';
    expect(hashedAsset(html, '/_next/static/')).toBe('/_next/static/chunks/0uyl.js');
  });

  it('reads SvelteKit relative paths and import() calls', () => {
    const html = '<script>Promise.all([import("./_app/immutable/entry/start.ccsnqtPs.js")])</script>';
    expect(hashedAsset(html, '/_app/immutable/')).toBe('/_app/immutable/entry/start.ccsnqtPs.js');
  });

  it('drops a query and ignores other prefixes', () => {
    expect(hashedAsset("<link href='/assets/root-Lv.css?v=1'>", '/assets/')).toBe('/assets/root-Lv.css');
    expect(hashedAsset('<img src="/other/assets/x.png">', '/assets/')).toBeUndefined();
    expect(hashedAsset('<p>no assets</p>', '/_astro/')).toBeUndefined();
  });
});

describe('describeAsset', () => {
  it('gives the size and the kind of file', () => {
    expect(describeAsset('/_nuxt/JKnnly3_.js', 16_905)).toBe('16.5 KiB JS');
    expect(describeAsset('/_astro/greet.quYifixp.css', 512)).toBe('512 B CSS');
  });
});
