// What a packed executable holds besides corral: the names of its assets and the manifest that lists them.

/** The manifest's asset: its presence is what makes an executable a packed app. */
export const MANIFEST_KEY = 'corral-pack/manifest.json';
/** The app's config, with the packed paths rewritten (src/pack/packed-config.ts). */
export const CONFIG_KEY = 'corral-pack/corral.json';
/** The app's module bundled by esbuild (CommonJS). */
export const APP_KEY = 'corral-pack/app.cjs';

/** One packed file: its path ('/'-separated, relative to its directory) and what it had on disk when packed. */
export interface PackedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface PackManifest {
  readonly format: 1;
  /** The corral version that packed it (the executable's own). */
  readonly corral: string;
  /** name and version from the app's package.json, when it has one. */
  readonly app: { readonly name?: string; readonly version?: string };
  /** The files of each packed static directory (static-map, then check-static), by index. */
  readonly static: readonly (readonly PackedFile[])[];
  /** The static-fallback files' names, by index. */
  readonly fallbacks: readonly string[];
  /** Files packed with --include, relative to the project's root. */
  readonly includes: readonly PackedFile[];
  /** Config keys holding paths that stay outside (logto, pidfile...): relative ones resolve against the working directory. */
  readonly cwdPaths: readonly string[];
}

export const staticKey = (dir: number, path: string): string => `corral-pack/static/${dir}/${path}`;
export const fallbackKey = (index: number): string => `corral-pack/fallback/${index}`;
export const includeKey = (path: string): string => `corral-pack/include/${path}`;

/** Where, under CORRAL_PACK_DIR, corral keeps what it unpacks for itself (config, app bundle, fallback pages). */
export const OWN_DIR = '.corral';
