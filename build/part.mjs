// What the pieces of dist/corral.cjs share: esbuild's options, and how a part's code becomes compressed text.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** What every piece of the bundle is built with. */
export const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { CORRAL_VERSION: JSON.stringify(pkg.version) },
  // esbuild stays out of the bundle: it is only used to transpile .ts apps on Nodes without type stripping, and by
  // corral pack. postject (corral pack) too: the npm package requires it, the single executable carries it as an asset.
  external: ['esbuild', 'postject'],
  // Less source for every process (master and each worker) to parse and keep; names stay, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

/** The compressed text of a part's code (base64 of brotli), for src/parts.ts: ASCII, so the source holding it stays one byte per character. */
export function compressPart(code) {
  return brotliCompressSync(Buffer.from(code), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: code.length },
  }).toString('base64');
}
