// Imports a module by file URL through Node's own loader, from a CommonJS bundle or a single executable alike.
import vm from 'node:vm';

type DynamicImport = (url: string) => Promise<Record<string, unknown>>;

let dynamicImport: DynamicImport | undefined;

/**
 * Returns the module namespace of `url` (a file: URL). Inside a single executable a plain `import()` only
 * reaches built-in modules, so the import runs in a function compiled by vm.Script whose dynamic imports
 * go to the main context's default loader (vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, Node 20.12+ / 21.7+).
 * Where that constant is missing, the vm callback forwards to this file's own import(), which works from a
 * plain bundle but not inside an executable. Node prints one ExperimentalWarning for the constant per
 * process: exactly that warning is filtered while the import runs; any other warning goes through.
 */
export function importUrl(url: string): Promise<Record<string, unknown>> {
  dynamicImport ??= compileDynamicImport();
  return withoutLoaderWarning(() => dynamicImport!(url));
}

function compileDynamicImport(): DynamicImport {
  const mainLoader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script('(url) => import(url)', {
    filename: 'corral:import-app',
    importModuleDynamically: mainLoader ?? ((specifier: string) => import(specifier)),
  });
  return script.runInThisContext() as DynamicImport;
}

async function withoutLoaderWarning<T>(run: () => Promise<T>): Promise<T> {
  const original = process.emitWarning;
  const filtered = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    if (isLoaderWarning(warning, rest[0])) return;
    (original as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  process.emitWarning = filtered;
  try {
    return await run();
  } finally {
    // Someone else may have wrapped emitWarning meanwhile: only undo our own wrapper.
    if (process.emitWarning === filtered) process.emitWarning = original;
  }
}

function isLoaderWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning.message;
  if (!message.includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return false;
  const type =
    typeof warning !== 'string'
      ? warning.name
      : typeof typeOrOptions === 'string'
        ? typeOrOptions
        : (typeOrOptions as { type?: unknown } | undefined)?.type;
  return type === 'ExperimentalWarning';
}
