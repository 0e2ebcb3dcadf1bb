// An esbuild plugin that keeps the libraries only some configs use out of the roles' code: each is bundled apart, handed over as compressed text, and compiled only where it is used.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { common, compressPart } from './part.mjs';

const parts = fileURLToPath(new URL('../src/parts.ts', import.meta.url));
const requireHere = createRequire(import.meta.url);

/**
 * How each library part is reached. `require`: the module that imports it is itself imported only when the library
 * is needed (acme-client by the ACME code, mime-db by the static file handler), so the part is compiled when that
 * module is. `use`: its importer is always loaded (yaml, by the config readers), so its exports are getters and the
 * part is compiled the first time one is read (a YAML config file).
 */
const LIBRARIES = { 'acme-client': 'require', 'mime-db': 'require', yaml: 'use' };

/** The stub that stands for library `name` in a role's part. */
function stub(name) {
  const load = `require(${JSON.stringify(parts)}).requirePart(${JSON.stringify(name)})`;
  if (LIBRARIES[name] === 'require') return `module.exports = ${load};\n`;
  const library = requireHere(name);
  const keys = JSON.stringify(Object.keys(library));
  const esModule =
    library.__esModule === true ? "Object.defineProperty(exports, '__esModule', { value: true });\n" : '';
  return `${esModule}for (const key of ${keys}) Object.defineProperty(exports, key, { enumerable: true, get: () => ${load}[key] });\n`;
}

/**
 * acme-client and its dependencies are about 1.3 MB of JavaScript, yaml 160 KB, mime-db's table 150 KB. As code, every process
 * would parse them at start (acme-client: 50-90 ms more for `corral --version`); even as text inside a role's part,
 * every process running that part would keep them as source for its life (about two bytes of RSS a byte). They are
 * parts of their own: the entry hands them to the role's part, which forgets what its config does not use
 * (src/parts.ts: acme-client without ACME, mime-db without static files, yaml without a YAML config file), and
 * compiles a part when it is first needed (see LIBRARIES).
 *
 * `found` collects each part's compressed text by name, for the entry (build/bundle.mjs). Node built-ins only
 * (checked by the build): a part gets the bundle's own require for them.
 */
export function lazyParts(found) {
  const filter = new RegExp(`^(${Object.keys(LIBRARIES).join('|')})$`);
  return {
    name: 'lazy-parts',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-part' }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-part' }, async (args) => {
        if (!found.has(args.path)) {
          const inner = await build({
            ...common,
            stdin: { contents: `module.exports = require('${args.path}');`, resolveDir: process.cwd(), loader: 'js' },
            write: false,
          });
          found.set(args.path, compressPart(inner.outputFiles[0].text));
        }
        return { contents: stub(args.path), loader: 'js', resolveDir: process.cwd() };
      });
    },
  };
}
