// TanStack Start: `vite build` leaves dist/server/server.js, whose default export is a fetch app, and dist/client.
import type { Framework } from './types.ts';
import { dependsOn, isDirectory, isFile } from './files.ts';

export const tanstackStart: Framework = {
  name: 'tanstack-start',
  title: 'TanStack Start',
  recognise(dir) {
    if (!['@tanstack/react-start', '@tanstack/solid-start'].some((name) => dependsOn(dir, name))) return undefined;
    if (!isFile(dir, 'dist/server/server.js'))
      return {
        problem: 'it is a TanStack Start project with no build (dist/server/server.js): run `vite build` first',
      };
    return {
      name: 'tanstack-start',
      title: 'TanStack Start',
      evidence: 'dist/server/server.js',
      module: { file: 'dist/server/server.js' },
      checkStatic: isDirectory(dir, 'dist/client') ? ['dist/client'] : [],
      staticMap: [],
      immutable: isDirectory(dir, 'dist/client/assets') ? [{ dir: 'dist/client/assets' }] : [],
      env: { NODE_ENV: 'production' },
    };
  },
};
