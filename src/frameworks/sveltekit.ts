// SvelteKit with adapter-node: `vite build` leaves build/handler.js, a connect-style handler, and build/client.
import type { Framework } from './types.ts';
import { dependsOn, isDirectory, isFile } from './files.ts';

export const sveltekit: Framework = {
  name: 'sveltekit',
  title: 'SvelteKit',
  recognise(dir) {
    if (!dependsOn(dir, '@sveltejs/kit')) return undefined;
    if (!isFile(dir, 'build/handler.js')) {
      return dependsOn(dir, '@sveltejs/adapter-node')
        ? { problem: 'it is a SvelteKit project with no build (build/handler.js): run `vite build` first' }
        : {
            problem: 'it is a SvelteKit project without @sveltejs/adapter-node, which builds the handler corral loads',
          };
    }
    return {
      name: 'sveltekit',
      title: 'SvelteKit',
      evidence: 'build/handler.js',
      module: { file: 'build/handler.js', exportName: 'handler' },
      checkStatic: ['build/client', 'build/prerendered'].filter((path) => isDirectory(dir, path)),
      staticMap: [],
      immutable: isDirectory(dir, 'build/client/_app/immutable') ? [{ dir: 'build/client/_app/immutable' }] : [],
      // adapter-node takes the scheme from PROTOCOL_HEADER, else assumes https and refuses form POSTs over plain HTTP
      // as cross-site: corral adds X-Forwarded-Proto to each request (fit-app.ts). The host comes from HOST_HEADER,
      // else Host: a trusted proxy's X-Forwarded-Host is believed, and corral removes anyone else's.
      env: { NODE_ENV: 'production', PROTOCOL_HEADER: 'x-forwarded-proto', HOST_HEADER: 'x-forwarded-host' },
      forwardedProto: true,
    };
  },
};
