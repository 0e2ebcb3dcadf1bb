// An esbuild plugin that keeps acme-client out of corral's start-up: it is bundled apart, embedded as text, and compiled only when ACME is used.
import { build } from 'esbuild';

/**
 * acme-client and its dependencies are about 1.3 MB of JavaScript. Inside the bundle as code, every process (master
 * and each worker, with or without ACME) would parse them at start: measured here, 50-90 ms more for
 * `corral --version`. As a string literal they cost a fast scan; the code is compiled the first time a module imports
 * acme-client, which only the ACME code does, and only in the process that talks to the ACME server.
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
          stdin: { contents: "module.exports = require('acme-client');", resolveDir: process.cwd(), loader: 'js' },
          bundle: true,
          platform: 'node',
          format: 'cjs',
          target: 'node20',
          write: false,
          minifyWhitespace: true,
          minifySyntax: true,
          legalComments: 'none',
          logLevel: 'warning',
        });
        const code = inner.outputFiles[0].text;
        // Node built-ins only (checked by the build): the module gets the bundle's own require for them.
        const contents =
          `const { compileFunction } = require('node:vm');\n` +
          `const code = ${JSON.stringify(code)};\n` +
          `const module_ = { exports: {} };\n` +
          `compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: 'corral:acme-client.cjs' })(module_.exports, require, module_, 'corral:acme-client.cjs', '.');\n` +
          `module.exports = module_.exports;\n`;
        return { contents, loader: 'js', resolveDir: process.cwd() };
      });
    },
  };
}
