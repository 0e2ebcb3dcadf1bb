// The esbuild plugin of `corral pack`: refuses what cannot run from inside the executable (native addons, worker-thread entries), leaves --external packages to be required beside it, and points each packed file's own location (import.meta.url, __dirname) into CORRAL_PACK_DIR.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { packedPath } from './project.ts';

export interface PluginContext {
  readonly root: string;
  readonly externals: readonly string[];
  /** Absolute directories packed with --include. */
  readonly included: readonly string[];
  /** Told what may go wrong at run time but need not (a package reading files beside itself). */
  readonly warn: (message: string) => void;
}

/** Defined by the bundle's banner (see BANNER): the packed stand-ins for a file's location, and require beside the executable. */
export const BANNER = [
  'var __corralPackRoot = process.env.CORRAL_PACK_DIR || require("path").dirname(process.execPath);',
  'var __corralPackPath = (p) => require("path").join(__corralPackRoot, p);',
  'var __corralPackUrl = (p) => require("url").pathToFileURL(__corralPackPath(p)).href;',
  'var __corralExternal = require("module").createRequire(require("path").join(require("path").dirname(process.execPath), "corral-external.js"));',
].join('\n');

const NATIVE_LOADERS =
  /^(bindings|node-gyp-build|node-gyp-build-optional-packages|@mapbox\/node-pre-gyp|node-pre-gyp|prebuild-install)$/;
const LOADERS: Record<string, 'js' | 'ts' | 'tsx' | 'jsx'> = {
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
};

/** The package a file belongs to (the last node_modules/[@scope/]name in its path), or undefined for the app's own files. */
export function packageOf(file: string): string | undefined {
  const match = /.*[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(file);
  return match?.[1]?.replace(/\\/g, '/');
}

export function packPlugin(context: PluginContext): Plugin {
  const externals = context.externals.map(
    (name) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/.*)?$`),
  );
  const whose = (importer: string): string =>
    packageOf(importer) === undefined
      ? path.relative(context.root, importer) || importer
      : `package ${packageOf(importer)}`;
  const addonAdvice = (importer: string): string => {
    const pkg = packageOf(importer);
    return pkg === undefined
      ? 'move the addon into a package of its own and leave it out with --external NAME (installed in node_modules beside the executable), or use a pure-JavaScript alternative'
      : `leave the package out with --external ${pkg} and install it in node_modules beside the executable (\`npm install ${pkg}\` in its directory), or use a pure-JavaScript alternative`;
  };
  return {
    name: 'corral-pack',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (externals.some((pattern) => pattern.test(args.path)))
          return { path: args.path, namespace: 'corral-external' };
        if (args.path.endsWith('.node') || NATIVE_LOADERS.test(args.path)) {
          const what = args.path.endsWith('.node')
            ? `the native addon "${args.path}"`
            : `native addons (through "${args.path}")`;
          return {
            errors: [
              {
                text:
                  `${whose(args.importer)} loads ${what}: a native addon (.node file) cannot run from inside ` +
                  `the executable; ${addonAdvice(args.importer)}`,
              },
            ],
          };
        }
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'corral-external' }, (args) => ({
        contents: `module.exports = __corralExternal(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const loader = LOADERS[path.extname(args.path)] ?? 'js';
        const problem = checkWorkers(source, args.path, context);
        if (problem !== undefined) return { errors: [{ text: problem }] };
        warnFileReads(source, args.path, context);
        return { contents: relocate(source, packedPath(context.root, args.path)), loader };
      });
    },
  };
}

/** A file of the app that starts a worker thread from a file is refused unless its directory is packed with --include. */
function checkWorkers(source: string, file: string, context: PluginContext): string | undefined {
  if (!/\bnew\s+Worker\s*\(/.test(source) || !/worker_threads/.test(source)) return undefined;
  if (context.included.some((dir) => file === dir || file.startsWith(dir + path.sep))) return undefined;
  const pkg = packageOf(file);
  if (pkg !== undefined) {
    context.warn(
      `package ${pkg} can start worker threads from files of its own, which are not inside the executable; ` +
        `if the app uses that, leave it out with --external ${pkg}`,
    );
    return undefined;
  }
  return (
    `${path.relative(context.root, file)} starts a worker thread (new Worker): its entry file would not be inside the ` +
    `executable. Pack that file's directory with --include ${path.relative(process.cwd(), path.dirname(file)) || '.'} ` +
    '(import.meta.url and __dirname then point at its unpacked copy), or move the worker into a package left out with --external'
  );
}

/** Reading files beside itself works only for files packed with --include: said at pack time. */
function warnFileReads(source: string, file: string, context: PluginContext): void {
  if (!/\b(__dirname|__filename|import\.meta\.(url|dirname|filename))\b/.test(source)) return;
  if (!/\b(readFileSync|readFile|createReadStream|readdirSync|readdir|existsSync)\b/.test(source)) return;
  if (context.included.some((dir) => file.startsWith(dir + path.sep))) return;
  const pkg = packageOf(file);
  const where = pkg === undefined ? path.relative(context.root, file) : `package ${pkg}`;
  context.warn(
    `${where} may read files relative to its own location (__dirname or import.meta.url): those files are only there ` +
      'if packed with --include DIR (or leave the package out with --external)',
  );
}

/**
 * Replaces the file's own location with its place under CORRAL_PACK_DIR: import.meta.url/dirname/filename, and
 * __dirname/__filename where the file does not declare them itself.
 */
function relocate(source: string, packed: string): string {
  if (!source.includes('import.meta') && !source.includes('__dirname') && !source.includes('__filename')) return source;
  const dir = path.posix.dirname(packed);
  let text = source
    .replace(/\bimport\.meta\.url\b/g, `__corralPackUrl(${JSON.stringify(packed)})`)
    .replace(/\bimport\.meta\.filename\b/g, `__corralPackPath(${JSON.stringify(packed)})`)
    .replace(/\bimport\.meta\.dirname\b/g, `__corralPackPath(${JSON.stringify(dir)})`);
  if (!/\b(var|let|const|function)\s+__(dirname|filename)\b/.test(text)) {
    text = text
      .replace(/(?<![\w$.])__dirname(?![\w$]|\s*:(?!:))/g, `__corralPackPath(${JSON.stringify(dir)})`)
      .replace(/(?<![\w$.])__filename(?![\w$]|\s*:(?!:))/g, `__corralPackPath(${JSON.stringify(packed)})`);
  }
  return text;
}
