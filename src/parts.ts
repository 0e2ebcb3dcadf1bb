// Runs one part of the program (a role's code, a library only some configs use, or the single process's code) from the compressed text the build embedded in the bundle.
import vm from 'node:vm';
import { brotliDecompressSync } from 'node:zlib';

/**
 * The bundle holds each role's code as compressed text rather than as code (build/bundle.mjs): a process compiles
 * only its own part, and the text of the others is garbage once it has started. Every process retains the source of
 * the code it compiled, about two bytes of RSS per byte of source: a worker does not keep the config schema, the
 * YAML parser, the command line or the master's code.
 *
 * The part runs as a CommonJS module with this bundle's `require`, `__filename` and `__dirname` (a part only
 * requires Node's built-ins; libraries that look beside the bundle keep looking there), except that in a part
 * compiled by requirePart `require('corral:parts')` is this module: a part made of corral's own code (the single
 * process, see build/lazy-parts.mjs) asks the role's part that compiled it for the libraries. Its dynamic imports go to the main
 * context's loader, as a plain bundle's would (the app's module is imported that way).
 */
export function runPart(name: string, compressed: string): Record<string, unknown> {
  return compilePart(name, compressed, require);
}

/**
 * runPart with `partRequire` for `require`: for the parts a role's part compiles (requirePart). The entry's parts get
 * Node's own: a function of the entry's would keep its whole text (every part, compressed) for the life of the process.
 */
function compilePart(name: string, compressed: string, requireIn: NodeJS.Require): Record<string, unknown> {
  const code = brotliDecompressSync(Buffer.from(compressed, 'base64')).toString();
  const mainLoader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const compiled = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: `corral:${name}.cjs`,
    ...(mainLoader !== undefined && { importModuleDynamically: mainLoader }),
  });
  const module = { exports: {} as Record<string, unknown> };
  compiled(module.exports, requireIn, module, __filename, __dirname);
  return module.exports;
}

/** The `require` of a part compiled by requirePart: Node's, but `corral:parts` is this module (see runPart). */
const partRequire: NodeJS.Require = Object.assign(
  (id: string): unknown => (id === 'corral:parts' ? { runPart, keepParts, forgetPart, requirePart } : require(id)),
  require,
);

/** The libraries a role may need later, as the entry handed them over (compressed); see build/lazy-parts.mjs. */
const later = new Map<string, string>();
const loaded = new Map<string, Record<string, unknown>>();

/** Keeps the libraries the entry handed this role's part, until the config says whether they are needed. */
export function keepParts(parts: Record<string, string>): void {
  for (const [name, text] of Object.entries(parts)) later.set(name, text);
}

/**
 * Lets go of a library this process will not use (acme-client without ACME, mime-db without static files): its
 * compressed text is garbage from then on. A part already compiled stays.
 */
export function forgetPart(name: string): void {
  later.delete(name);
}

/** The exports of library part `name`, compiled the first time a module of the bundle requires it. */
export function requirePart(name: string): Record<string, unknown> {
  let exports = loaded.get(name);
  if (exports === undefined) {
    const text = later.get(name);
    if (text === undefined) throw new Error(`corral: the ${name} part is not available in this process`);
    exports = compilePart(name, text, partRequire);
    loaded.set(name, exports);
    later.delete(name);
  }
  return exports;
}
