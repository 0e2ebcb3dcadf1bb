// An esbuild plugin that keeps acme-client out of corral's start-up: it is bundled apart, embedded as compressed text, and compiled only when ACME is used.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { common, compressPart } from './part.mjs';

const parts = fileURLToPath(new URL('../src/parts.ts', import.meta.url));

/**
 * acme-client and its dependencies are about 1.3 MB of JavaScript. Inside the bundle as code, every process would
 * parse them at start (measured: 50-90 ms more for `corral --version`); even as a plain string literal, every
 * process that runs the part holding it keeps the 1.3 MB of source (about 2.6 MB of RSS). Compressed, the part costs
 * a fifth of that; it is decompressed and compiled (src/parts.ts) the first time a module imports acme-client,
 * which only the ACME code does, and only in the process that talks to the ACME server.
 */
export function lazyAcmeClient() {
  return {
    name: 'lazy-acme-client',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^acme-client$/ }, (args) => ({
        path: args.path,
        namespace: 'lazy-acme-client',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-acme-client' }, async () => {
        const inner = await build({
          ...common,
          stdin: { contents: "module.exports = require('acme-client');", resolveDir: process.cwd(), loader: 'js' },
          write: false,
        });
        const text = compressPart(inner.outputFiles[0].text);
        // Node built-ins only (checked by the build): the part gets the bundle's own require for them.
        const contents = `module.exports = require(${JSON.stringify(parts)}).runPart('acme-client', ${JSON.stringify(text)});\n`;
        return { contents, loader: 'js', resolveDir: process.cwd() };
      });
    },
  };
}
