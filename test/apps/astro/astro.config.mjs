// @ts-check
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

// Server output through the Node adapter's middleware mode: dist/server/entry.mjs exports `handler`,
// and the host (corral here) serves it and the files of dist/client.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware' }),
  // Emit the page's CSS as a hashed file under /_astro/ rather than inlining it.
  build: { inlineStylesheets: 'never' },
  redirects: { '/old-home': '/' },
  security: {
    // Astro trusts the Host header only for these; without it Astro.url is http://localhost and
    // checkOrigin rejects a browser's form POST (its Origin is http://127.0.0.1:PORT).
    allowedDomains: [{ hostname: '127.0.0.1' }],
  },
});
