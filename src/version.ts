// corral's own version, injected at build time (esbuild `define`, vitest `define`).
declare const CORRAL_VERSION: string;

export const version: string = CORRAL_VERSION;
