// Next.js: `next build` leaves .next/BUILD_ID; corral's glue starts Next's request handler (no file of the build is one).
import type { Framework } from './types.ts';
import { isDirectory, isFile } from './files.ts';

export const next: Framework = {
  name: 'next',
  title: 'Next.js',
  recognise(dir) {
    if (!isFile(dir, '.next/BUILD_ID')) {
      const project = ['next.config.js', 'next.config.mjs', 'next.config.ts'].some((name) => isFile(dir, name));
      return project
        ? { problem: 'it is a Next.js project with no build (.next/BUILD_ID): run `next build` first' }
        : undefined;
    }
    return {
      name: 'next',
      title: 'Next.js',
      evidence: '.next/BUILD_ID',
      module: { file: '.', glue: true },
      checkStatic: isDirectory(dir, 'public') ? ['public'] : [],
      staticMap: [{ prefix: '/_next/static', dir: '.next/static' }],
      immutable: [{ dir: '.next/static' }],
      env: { NODE_ENV: 'production' },
    };
  },
};
