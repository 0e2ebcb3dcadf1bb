// Finds esbuild for `corral pack`: the app project's own first, then corral's (the npm package's dependency); inside the single executable only the project's can run.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Esbuild } from '../app/esbuild-load.ts';
import { ConfigError } from '../errors/corral-error.ts';
import { runningSea } from './sea-assets.ts';

/** esbuild, and which one: the project's or corral's. */
export function findEsbuild(projectRoot: string): { esbuild: Esbuild; from: 'project' | 'corral' } {
  const fromProject = tryRequire(path.join(projectRoot, 'package.json'));
  if (fromProject !== undefined) return { esbuild: fromProject, from: 'project' };
  // Inside the single executable corral's own esbuild is not there: its native binary cannot live inside.
  const ownOrigin = runningSea() === undefined && typeof __filename === 'string' ? __filename : undefined;
  const own = ownOrigin === undefined ? undefined : tryRequire(ownOrigin);
  if (own !== undefined) return { esbuild: own, from: 'corral' };
  throw new ConfigError(
    runningSea() !== undefined
      ? `corral pack: esbuild is not installed in the app's project (${projectRoot}); the single executable cannot ` +
          "carry esbuild's native binary, so it uses the project's: run `npm install --save-dev esbuild` there, " +
          'or run the pack with the npm package of corral (`npx corral pack ...`), which brings its own'
      : "corral pack: esbuild could not be loaded (it is a dependency of corral: reinstall corral, or run `npm install --save-dev esbuild` in the app's project)",
    'CORRAL_PACK',
  );
}

function tryRequire(from: string): Esbuild | undefined {
  try {
    return createRequire(from)('esbuild') as Esbuild;
  } catch {
    return undefined;
  }
}
