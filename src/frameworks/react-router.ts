// React Router 7 (framework mode): `react-router build` leaves build/server/index.js, a build object corral's glue serves.
import type { Framework } from './types.ts';
import { dependsOn, isDirectory, isFile } from './files.ts';

export const reactRouter: Framework = {
  name: 'react-router',
  title: 'React Router',
  recognise(dir) {
    if (!dependsOn(dir, '@react-router/dev') && !isFile(dir, 'react-router.config.ts')) return undefined;
    if (!isFile(dir, 'build/server/index.js'))
      return {
        problem: 'it is a React Router project with no build (build/server/index.js): run `react-router build` first',
      };
    return {
      name: 'react-router',
      title: 'React Router',
      evidence: 'build/server/index.js',
      module: { file: 'build/server/index.js', glue: true },
      checkStatic: isDirectory(dir, 'build/client') ? ['build/client'] : [],
      staticMap: [],
      immutable: isDirectory(dir, 'build/client/assets') ? [{ dir: 'build/client/assets' }] : [],
      env: { NODE_ENV: 'production' },
    };
  },
};
