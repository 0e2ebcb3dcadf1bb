// Runs one part of the program (the code of one role) from the compressed text the build embedded in the bundle.
import vm from 'node:vm';
import { brotliDecompressSync } from 'node:zlib';

/**
 * The bundle holds each role's code as compressed text rather than as code (build/bundle.mjs): a process compiles
 * only its own part, and the text of the others is garbage once it has started. Every process retains the source of
 * the code it compiled, about two bytes of RSS per byte of source: a worker does not keep the config schema (zod),
 * the YAML parser or the master's code, and a master not the app loader's.
 *
 * The part runs as a CommonJS module with this bundle's `require`, `__filename` and `__dirname` (a part only
 * requires Node's built-ins; libraries that look beside the bundle keep looking there). Its dynamic imports go to
 * the main context's loader, as a plain bundle's would (the app's module is imported that way).
 */
export function runPart(name: string, compressed: string): Record<string, unknown> {
  const code = brotliDecompressSync(Buffer.from(compressed, 'base64')).toString();
  const mainLoader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const compiled = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: `corral:${name}.cjs`,
    ...(mainLoader !== undefined && { importModuleDynamically: mainLoader }),
  });
  const module = { exports: {} as Record<string, unknown> };
  compiled(module.exports, require, module, __filename, __dirname);
  return module.exports;
}
