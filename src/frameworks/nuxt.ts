// Nuxt (Nitro): `nuxt build` with the node-listener preset leaves .output/nitro.json and a server module exporting `listener`.
import type { Framework } from './types.ts';
import { isDirectory, isFile, readJson } from './files.ts';

export const nuxt: Framework = {
  name: 'nuxt',
  title: 'Nuxt',
  recognise(dir) {
    const built = readJson(dir, '.output/nitro.json') as
      | { preset?: unknown; framework?: { name?: unknown } }
      | undefined;
    if (built === undefined) {
      const project = ['nuxt.config.ts', 'nuxt.config.js', 'nuxt.config.mjs'].some((name) => isFile(dir, name));
      return project
        ? {
            problem:
              'it is a Nuxt project with no build (.output/nitro.json): run `NITRO_PRESET=node-listener nuxt build` first',
          }
        : undefined;
    }
    if (built.preset !== 'node-listener') {
      return {
        problem:
          `its Nitro build (.output/nitro.json) has the preset "${String(built.preset)}", whose server listens by itself; ` +
          'rebuild with `NITRO_PRESET=node-listener nuxt build` (or `nitro: { preset: "node-listener" }` in nuxt.config)',
      };
    }
    if (!isFile(dir, '.output/server/index.mjs'))
      return { problem: 'its Nitro build has no .output/server/index.mjs: run the build again' };
    return {
      name: 'nuxt',
      title: built.framework?.name === 'nitro' ? 'Nitro' : 'Nuxt',
      evidence: '.output/nitro.json',
      // corral's glue takes the `listener` export, and the `websocket` hooks when the build has them.
      module: { file: '.output/server/index.mjs', glue: true },
      checkStatic: isDirectory(dir, '.output/public') ? ['.output/public'] : [],
      staticMap: [],
      // builds/latest.json names the current build and changes with each deploy (Nitro gives it max-age=1).
      immutable: isDirectory(dir, '.output/public/_nuxt')
        ? [{ dir: '.output/public/_nuxt', except: ['builds/latest.json'] }]
        : [],
      env: { NODE_ENV: 'production' },
    };
  },
};
