// Astro with @astrojs/node in middleware mode: `astro build` leaves dist/server/entry.mjs exporting `handler`, and dist/client.
import type { Framework } from './types.ts';
import { dependsOn, isDirectory, isFile } from './files.ts';

export const astro: Framework = {
  name: 'astro',
  title: 'Astro',
  recognise(dir) {
    if (!dependsOn(dir, 'astro')) return undefined;
    if (!isFile(dir, 'dist/server/entry.mjs')) {
      return dependsOn(dir, '@astrojs/node')
        ? { problem: 'it is an Astro project with no server build (dist/server/entry.mjs): run `astro build` first' }
        : {
            problem:
              "it is an Astro project without @astrojs/node (mode: 'middleware'), which builds the handler corral loads",
          };
    }
    return {
      name: 'astro',
      title: 'Astro',
      evidence: 'dist/server/entry.mjs',
      module: { file: 'dist/server/entry.mjs', exportName: 'handler' },
      checkStatic: isDirectory(dir, 'dist/client') ? ['dist/client'] : [],
      staticMap: [],
      immutable: isDirectory(dir, 'dist/client/_astro') ? [{ dir: 'dist/client/_astro' }] : [],
      // A standalone build (mode: 'standalone') would listen on port 4321 as each worker imports it; this stops that.
      env: { NODE_ENV: 'production', ASTRO_NODE_AUTOSTART: 'disabled' },
    };
  },
};
