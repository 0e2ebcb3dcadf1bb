// The resolved config every part of corral receives: validated, paths made absolute, frozen, and plain JSON.
/** One `http` listen address. */
export type ListenAddress =
  | { kind: 'tcp'; host: string | undefined; port: number; text: string }
  | { kind: 'unix'; path: string; text: string };

/** One `static-map` entry: URL prefix (starts with '/', no trailing '/' unless it is '/') served from an absolute directory. */
export interface StaticMount {
  prefix: string;
  dir: string;
}

/** The `module` setting: an absolute file path and the export to use (undefined = default export or module.exports). */
export interface ModuleRef {
  file: string;
  exportName: string | undefined;
}

export interface Config {
  /** The config file it came from (absolute), if any. */
  source: string | undefined;
  http: ListenAddress[];
  staticMap: StaticMount[];
  module: ModuleRef | undefined;
  /** Number of workers (resolved from `auto`). */
  processes: number;
  master: boolean;
  /** Absolute directory corral changes into before loading the app, if set. */
  chdir: string | undefined;
  /** Environment variables set before the app loads. */
  env: Record<string, string>;
  /** Seconds to let in-flight requests finish on stop. */
  gracefulTimeout: number;
  vacuum: boolean;
}
