// Imports the app module's namespace: JavaScript as it is, TypeScript by Node's type stripping or through esbuild.
import { pathToFileURL } from 'node:url';
import { describeThrown, errorLocation } from './describe.ts';
import { importUrl } from './import-url.ts';
import { appLoadError } from './load-error.ts';
import { transpileTypeScript } from './transpile-ts.ts';

const TYPESCRIPT = /\.[cm]?ts$/;

/** True where Node strips types itself (22.18+, 23.6+; `process.features.typescript` is 'strip' or 'transform'). */
export function nodeStripsTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

/** Loads `file` (absolute, known to exist) and returns its module namespace; failures become AppLoadErrors. */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  const { url, displaced } =
    TYPESCRIPT.test(file) && !nodeStripsTypes() ? await transpileTypeScript(file) : { url: pathToFileURL(file).href };
  try {
    return await importUrl(url);
  } catch (error) {
    throw appLoadError(file, whatWentWrong(error, displaced));
  }
}

/** `displaced`: why the transpiled copy is not beside the app, if it is not (its packages may not resolve from there). */
function whatWentWrong(error: unknown, displaced: string | undefined): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (displaced !== undefined && (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')) {
    return (
      `${displaced}, from where the packages it imports cannot be found (${describeThrown(error)}); ` +
      "make the app's node_modules (or its directory) writable, run corral on Node >= 22.18, which loads " +
      'TypeScript without a copy, or precompile the app to JavaScript'
    );
  }
  if (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
    // Only where Node strips types: esbuild (Node < 22.18) transforms enums and namespaces fine.
    const message = String((error as Error).message);
    const syntax = /TypeScript (.+?) is not supported/.exec(message)?.[1] ?? 'syntax';
    return (
      `it uses TypeScript ${syntax}, which Node's type stripping cannot run (${describeThrown(error)}); ` +
      `${advice(syntax)}, or precompile the app to JavaScript (tsc, esbuild) and point \`module\` at the output`
    );
  }
  const thrown = describeThrown(error);
  if ((error as { name?: unknown } | null)?.name === 'SyntaxError' && errorLocation(error) === undefined) {
    // Node does not tell where an ES module's syntax error is, nor in which imported file.
    return `it failed to parse: ${thrown}; \`node --check <file>\` on it (or the module it imports) shows where`;
  }
  return `it threw while loading: ${thrown}`;
}

function advice(syntax: string): string {
  if (syntax.startsWith('enum')) return 'replace the enum with a const object (`const Color = { Red: 0 } as const`)';
  if (syntax.startsWith('namespace')) return 'replace the namespace with a module or a plain object';
  if (syntax.startsWith('parameter propert')) return 'declare the fields and assign them in the constructor';
  return 'rewrite that construct without a transform';
}
