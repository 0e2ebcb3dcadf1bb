// Transpiles a TypeScript app with esbuild into a cached .mjs from where the app's bare imports still resolve.
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeThrown } from './describe.ts';
import { loadEsbuild } from './esbuild-load.ts';
import { keepFileLocations } from './esbuild-file-locations.ts';
import { appLoadError } from './load-error.ts';

// esbuild's ESM output calls `__require` for require() of external packages; it needs a real `require`.
const REQUIRE_SHIM =
  "import { createRequire as __corralCreateRequire } from 'node:module';\n" +
  'const require = __corralCreateRequire(import.meta.url);\n';

/** Where the transpiled copy went; `displaced` says why it is not beside the app, when it is not. */
export interface Transpiled {
  url: string;
  displaced?: string;
}

/**
 * Bundles the app's own files (packages stay external imports) to one ES module and returns its file URL.
 * The copy goes to `<nearest dir with node_modules>/node_modules/.cache/corral/`, so bare imports resolve
 * as they would from the app; without any node_modules up the tree, to `.corral-cache/` beside the app.
 * Where that cannot be written (a read-only deploy), to `<os.tmpdir()>/corral-ts-cache/`, from where the
 * app's packages may not resolve. Copies are never removed. The name carries a hash of the path and the
 * output: an unchanged app reuses its file, and workers starting together never see a half-written one
 * (write, then rename).
 */
export async function transpileTypeScript(file: string): Promise<Transpiled> {
  const esbuild = loadEsbuild(file);
  let code: string;
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [keepFileLocations(esbuild)],
    });
    code = result.outputFiles[0]?.text ?? '';
  } catch (error) {
    throw appLoadError(file, `esbuild could not transpile it: ${esbuildProblem(error)}`);
  }
  if (code.includes('__require(')) code = REQUIRE_SHIM + code;
  // node:crypto is loaded here, for a TypeScript module, not with the loader in every worker (a require: a dynamic
  // import from the bundle's parts would go through vm's experimental loader hook, which warns on stderr).
  const { createHash } = createRequire(file)('node:crypto') as typeof import('node:crypto');
  const hash = createHash('sha256').update(file).update('\0').update(code).digest('hex').slice(0, 16);
  const name = `${path.basename(file).replace(/\.[cm]?ts$/, '')}-${hash}.mjs`;
  const dir = cacheDir(file);
  try {
    return { url: pathToFileURL(writeCached(dir, name, code)).href };
  } catch (error) {
    const notBeside = `its transpiled copy could not be written to ${dir} (${describeThrown(error)})`;
    const fallback = path.join(tmpdir(), 'corral-ts-cache');
    try {
      return {
        url: pathToFileURL(writeCached(fallback, name, code)).href,
        displaced: `${notBeside}, so it went to ${fallback}`,
      };
    } catch (second) {
      throw appLoadError(file, `${notBeside}, nor to ${fallback} (${describeThrown(second)})`);
    }
  }
}

/** Writes `code` to `dir/name` unless it is there already; returns the path. */
function writeCached(dir: string, name: string, code: string): string {
  const target = path.join(dir, name);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  const temp = `${target}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, code);
  renameSync(temp, target);
  return target;
}

function cacheDir(file: string): string {
  const start = path.dirname(file);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (isDirectory(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'corral');
    if (path.dirname(dir) === dir) return path.join(start, '.corral-cache');
  }
}

function isDirectory(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

/** esbuild's BuildFailure lists its errors with locations: keep the first, on one line. */
function esbuildProblem(error: unknown): string {
  const first = (
    error as { errors?: { text: string; location: { file: string; line: number; column: number } | null }[] }
  ).errors?.[0];
  if (first === undefined) return describeThrown(error);
  const where =
    first.location === null ? '' : ` (at ${first.location.file}:${first.location.line}:${first.location.column})`;
  return `${first.text}${where}`;
}
