// Finds esbuild at run time (from the app's point of view, then corral's own), for Nodes that cannot strip types.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { appLoadError } from './load-error.ts';

export type Esbuild = typeof import('esbuild');

/**
 * esbuild is a dependency of corral but stays outside the bundle, and is only needed on Node < 22.18.
 * It is looked up beside the app first (an app may pin its own), then beside corral's bundle.
 */
export function loadEsbuild(appFile: string): Esbuild {
  let lastProblem: string | undefined;
  for (const from of lookupOrigins(appFile)) {
    try {
      return createRequire(from)('esbuild') as Esbuild;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'MODULE_NOT_FOUND') lastProblem = (error as Error).message;
    }
  }
  throw appLoadError(
    appFile,
    `it is TypeScript, this Node (${process.version}) cannot strip types, and esbuild could not be loaded to ` +
      `transpile it${lastProblem === undefined ? '' : ` (${lastProblem})`}; run corral on Node >= 22.18, ` +
      "or install esbuild (`npm install esbuild`) in the app's project, or precompile the app to JavaScript",
  );
}

function lookupOrigins(appFile: string): string[] {
  const origins = [appFile];
  // In the CommonJS bundle __filename is dist/corral.cjs; under ESM (tests) it is not defined.
  if (typeof __filename === 'string') origins.push(__filename);
  const script = process.argv[1];
  if (script !== undefined) {
    try {
      origins.push(realpathSync(script));
    } catch {
      // argv[1] is not a file (inside a single executable): nothing to add.
    }
  }
  return origins;
}
