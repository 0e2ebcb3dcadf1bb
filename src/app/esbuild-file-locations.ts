// An esbuild plugin that keeps import.meta.url, __dirname and friends pointing at each source file after bundling.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loader, Plugin } from 'esbuild';
import type { Esbuild } from './esbuild-load.ts';

const MENTIONS_LOCATION = /import\.meta\.(url|dirname|filename)|__dirname|__filename/;

/**
 * The bundled copy lives in a cache folder, so `new URL('./public', import.meta.url)` would point there.
 * Each of the app's own files that mentions its location gets those expressions replaced (by esbuild's
 * `define`, so strings and comments are left alone) with its original path; such a file is compiled on
 * its own, without tsconfig.json settings (decorator flavour, for one). Other files load untouched.
 */
export function keepFileLocations(esbuild: Esbuild): Plugin {
  return {
    name: 'corral-keep-file-locations',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!MENTIONS_LOCATION.test(source)) return undefined;
        const filename = JSON.stringify(args.path);
        const dirname = JSON.stringify(path.dirname(args.path));
        const result = await esbuild.transform(source, {
          loader: loaderFor(args.path),
          sourcefile: args.path,
          define: {
            'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
            'import.meta.filename': filename,
            'import.meta.dirname': dirname,
            __filename: filename,
            __dirname: dirname,
          },
        });
        return { contents: result.code, loader: 'js' };
      });
    },
  };
}

function loaderFor(file: string): Loader {
  return /\.[cm]?ts$/.test(file) ? 'ts' : 'js';
}
