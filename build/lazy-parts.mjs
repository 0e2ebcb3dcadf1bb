// An esbuild plugin that keeps the code only some configs use out of the roles' code (libraries, and the single process's serving code): each is bundled apart, handed over as compressed text, and compiled only where it is used.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { leanLogger } from './lean-logger.mjs';
import { common, compressPart } from './part.mjs';

const parts = fileURLToPath(new URL('../src/parts.ts', import.meta.url));
const single = fileURLToPath(new URL('../src/worker/single.ts', import.meta.url));
const requireHere = createRequire(import.meta.url);

/**
 * How each library part is reached. `require`: the module that imports it is itself imported only when the library
 * is needed (acme-client by the ACME code, mime-db by the static file handler), so the part is compiled when that
 * module is. `use`: its importer is always loaded (yaml, by the config readers), so its exports are getters and the
 * part is compiled the first time one is read (a YAML config file).
 */
const LIBRARIES = { 'acme-client': 'require', 'mime-db': 'require', yaml: 'use' };

/**
 * corral's own modules that are a part of their own, by the name of the part: `single`, the single process
 * (src/worker/single.ts and the front end, static files and app loader under it: 220 KB of the command part's
 * 570 KB). The master imports none of it, yet parsed it and kept its source while it was in the command part:
 * measured, about 1 MB more RSS for the master after a hello load (more malloc'd memory left over from parsing). Its part is bundled with this plugin too (acme-client and mime-db
 * stay parts of their own) and asks the role's part that compiles it for them: `src/parts.ts` is
 * `require('corral:parts')` there (see runPart). Its modules that the command part also has (the logger, the errors)
 * are second copies: what crosses from one to the other must not depend on `instanceof` (src/cli/run.ts).
 */
const MODULES = { [single]: 'single' };

/** Marks the resolutions these plugins ask esbuild for, which they leave to esbuild. */
const INNER = 'corral-lazy-parts-inner';

/** Resolves src/parts.ts to the role's part that compiles a part of corral's own code (see MODULES). */
const sharedParts = {
  name: 'shared-parts',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /parts(\.ts)?$/ }, async (args) => {
      if (args.pluginData === INNER) return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: INNER,
      });
      return resolved.path === parts ? { path: 'corral:parts', external: true } : undefined;
    });
  },
};

/** The code of part `name` (a library, or one of MODULES by its file), bundled on its own. */
async function bundlePart(name, file, found) {
  const inner = await build({
    ...common,
    ...(file === undefined
      ? { stdin: { contents: `module.exports = require('${name}');`, resolveDir: process.cwd(), loader: 'js' } }
      : { entryPoints: [file], plugins: [sharedParts, lazyParts(found), leanLogger()] }),
    write: false,
  });
  return inner.outputFiles[0].text;
}

/** The stub that stands for part `name` in a role's part (one of MODULES is reached as a `require` library is). */
function stub(name) {
  const load = `require(${JSON.stringify(parts)}).requirePart(${JSON.stringify(name)})`;
  if (LIBRARIES[name] === 'require') return `module.exports = ${load};\n`;
  if (Object.values(MODULES).includes(name)) return `module.exports = ${load};\n`;
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
      // corral's own modules (MODULES) are found by the file an import resolves to.
      pluginBuild.onResolve({ filter: /\.ts$/ }, async (args) => {
        if (args.pluginData === INNER || args.kind === 'entry-point') return undefined;
        const resolved = await pluginBuild.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          importer: args.importer,
          pluginData: INNER,
        });
        const name = MODULES[resolved.path];
        return name === undefined ? undefined : { path: name, namespace: 'lazy-part', pluginData: resolved.path };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-part' }, async (args) => {
        if (!found.has(args.path))
          found.set(args.path, compressPart(await bundlePart(args.path, args.pluginData, found)));
        return { contents: stub(args.path), loader: 'js', resolveDir: process.cwd() };
      });
    },
  };
}
