// Turns dist/corral.cjs into dist/corral, a Linux x64 single executable embedding Node 26 (one step: node --build-sea).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { ensureBaseNode } from './node-base.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'corral.cjs');
const output = join(root, 'dist', 'corral');

export function buildExecutable() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    process.stderr.write(
      `skipping dist/corral: the single executable is built for linux-x64 only (this is ${process.platform}-${process.arch})\n`,
    );
    return;
  }
  const node = ensureBaseNode();
  // Cached: rebuilt only when the bundle or the base Node changed since the last build.
  if (existsSync(output) && statSync(output).mtimeMs > Math.max(statSync(bundle).mtimeMs, statSync(node).mtimeMs))
    return;
  const configDir = join(root, '.cache');
  mkdirSync(configDir, { recursive: true });
  const seaConfig = join(configDir, 'sea-config.json');
  // What `corral pack` needs from inside the executable (src/pack/make-executable.ts): its own main script, to make a
  // packed app's blob, and postject (4.8 MB of JavaScript, brotli-compressed), to inject it. Assets stay in the file:
  // no process reads them but corral pack.
  const postject = join(configDir, 'postject.cjs.br');
  const postjectSource = readFileSync(createRequire(import.meta.url).resolve('postject'));
  writeFileSync(postject, brotliCompressSync(postjectSource, { params: { [constants.BROTLI_PARAM_QUALITY]: 6 } }));
  writeFileSync(
    seaConfig,
    JSON.stringify({
      main: bundle,
      mainFormat: 'commonjs',
      output,
      // The Node that builds the blob must be the Node inside the executable, so the base binary builds itself.
      executable: node,
      disableExperimentalSEAWarning: true,
      assets: { 'corral/main.cjs': bundle, 'corral/postject.cjs.br': postject },
      // Measured here: about 10-20 ms less per process to start (master and each worker). Node 26 only; the executable is always 26.
      useCodeCache: true,
    }),
  );
  execFileSync(node, ['--build-sea', seaConfig], { stdio: ['ignore', 'ignore', 'inherit'] });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildExecutable();
