// Makes the packed executable from corral's own single executable, offline: a copy with its fuse flipped runs as plain Node to make the blob, which postject injects into another copy.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { brotliDecompressSync } from 'node:zlib';
import { ConfigError } from '../errors/corral-error.ts';
import { packManifest, rawAsset, runningSea } from './sea-assets.ts';

/** The assets corral's own executable carries for packing (build/sea.mjs): its main script and postject. */
const OWN_MAIN_KEY = 'corral/main.cjs';
const OWN_POSTJECT_KEY = 'corral/postject.cjs.br';

/**
 * Node's fuse: `<sentinel>:1` in a single executable, `:0` in plain Node. Built at run time: the literal must appear
 * exactly once in an executable, and this code is inside one.
 */
const SENTINEL = ['NODE', 'SEA', 'FUSE', 'fce680ab2cc467b6e072b8b5df1996b2'].join('_');

type Inject = (file: string, name: string, data: Buffer, options: object) => Promise<void>;

/** corral's own executable and main script: the running executable, or dist/corral beside the npm bundle. */
export function ownExecutable(): { executable: string; main: Buffer } {
  const sea = runningSea();
  if (sea !== undefined) {
    if (packManifest() !== undefined)
      throw new ConfigError(
        'corral pack: this executable is a packed app; pack with corral itself (its single executable or the npm package)',
        'CORRAL_PACK',
      );
    const main = rawAsset(sea, OWN_MAIN_KEY);
    if (main === undefined)
      throw new ConfigError(
        'corral pack: this corral executable was built without its main script asset',
        'CORRAL_PACK',
      );
    return { executable: process.execPath, main };
  }
  const bundle = typeof __filename === 'string' ? __filename : '';
  const executable = path.join(path.dirname(bundle), 'corral');
  if (!bundle.endsWith('.cjs') || !existsSync(executable))
    throw new ConfigError(
      `corral pack: corral's single executable is not at ${executable}; build it (\`npm run build\` in corral's ` +
        'repository) or run `corral pack` from the corral executable itself',
      'CORRAL_PACK',
    );
  return { executable, main: readFileSync(bundle) };
}

export interface SeaAssets {
  readonly [key: string]: string;
}

/** Writes `output` (through a temporary file beside it, then renamed): corral's executable carrying `assets`. */
export async function makeExecutable(
  own: { executable: string; main: Buffer },
  assets: SeaAssets,
  work: string,
  output: string,
): Promise<void> {
  // 1. A copy that runs as plain Node: the same Node as inside, so the blob it makes fits.
  const node = path.join(work, 'node');
  copyFileSync(own.executable, node);
  flipFuse(node);
  chmodSync(node, 0o755);
  const main = path.join(work, 'main.cjs');
  writeFileSync(main, own.main);
  const blob = path.join(work, 'sea.blob');
  const seaConfig = path.join(work, 'sea-config.json');
  writeFileSync(
    seaConfig,
    JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets }),
  );
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  execFileSync(node, ['--experimental-sea-config', seaConfig], { stdio: ['ignore', 'ignore', 'pipe'], env });
  rmSync(node);
  // 2. The blob goes into another copy of corral's executable, in place of corral's own.
  const temporary = `${output}.corral-pack-${process.pid}`;
  copyFileSync(own.executable, temporary);
  try {
    const inject = loadPostject();
    await quietly(() =>
      inject(temporary, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SENTINEL, overwrite: true }),
    );
    chmodSync(temporary, 0o755);
    renameSync(temporary, output);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Runs `work` with the console silenced: postject's ELF code prints a warning per note section it does not know
 * (".note.100"...), harmless and the same for every pack. It binds the console when it first runs, inside `work`.
 */
async function quietly(work: () => Promise<void>): Promise<void> {
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const silent = (): void => {};
  Object.assign(console, { log: silent, warn: silent, error: silent });
  try {
    await work();
  } finally {
    Object.assign(console, saved);
  }
}

/** Sets the fuse of the executable copy at `file` to 0: it then runs as the plain Node it was made from. */
function flipFuse(file: string): void {
  const bytes = readFileSync(file);
  const at = bytes.indexOf(`${SENTINEL}:1`);
  if (at < 0 || bytes.indexOf(SENTINEL, at + 1) >= 0)
    throw new ConfigError(`corral pack: ${file} is not a single executable with one fuse`, 'CORRAL_PACK');
  bytes[at + SENTINEL.length + 1] = '0'.charCodeAt(0);
  writeFileSync(file, bytes);
}

/** postject's inject(): the copy inside corral's executable, or the npm package's dependency. */
function loadPostject(): Inject {
  const sea = runningSea();
  if (sea === undefined) return (createRequire(__filename)('postject') as { inject: Inject }).inject;
  const compressed = rawAsset(sea, OWN_POSTJECT_KEY);
  if (compressed === undefined)
    throw new ConfigError('corral pack: this corral executable was built without postject', 'CORRAL_PACK');
  const module = { exports: {} as { inject?: Inject } };
  const compiled = vm.compileFunction(brotliDecompressSync(compressed).toString(), ['exports', 'require', 'module'], {
    filename: 'corral:postject.cjs',
  });
  compiled(module.exports, require, module);
  if (module.exports.inject === undefined) throw new Error('corral: postject has no inject()');
  return module.exports.inject;
}
