// What corral knows about a full-stack framework's build: how to recognise it in a project directory and how to serve it.

/** The frameworks whose build output corral recognises (`framework` setting), in the order it looks for them. */
export const FRAMEWORK_NAMES = [
  'next',
  'nuxt',
  'sveltekit',
  'astro',
  'react-router',
  'tanstack-start',
  'nestjs',
] as const;

export type FrameworkName = (typeof FRAMEWORK_NAMES)[number];

/** What serving a recognised build takes, in corral's own settings; any setting the user gives wins over it. */
export interface FrameworkPlan {
  name: FrameworkName;
  /** The framework's own name, for messages ("Next.js"). */
  title: string;
  /** The file that told corral what the directory holds, relative to it (".next/BUILD_ID"). */
  evidence: string;
  /** The app: a file of the build and its export, or (`glue`) the project directory, loaded by corral's glue for it. */
  module: { file: string; exportName?: string; glue?: boolean };
  /** Directories (relative) whose files corral serves before the app, at "/" (`check-static`). */
  checkStatic: string[];
  /** URL prefixes served from directories (relative) before the app (`static-map`). */
  staticMap: { prefix: string; dir: string }[];
  /** Directories (relative) of hashed, content-addressed assets, cached for IMMUTABLE_SECONDS (`static-expires`). */
  immutable: ImmutableAssets[];
  /** Environment variables the build reads, set unless the user sets them (`env`). */
  env: Record<string, string>;
  /** The build needs X-Forwarded-Proto on every request (see fit-app.ts). */
  forwardedProto?: boolean;
}

/** A directory of hashed assets, and the files in it (relative paths) that keep one name across builds. */
interface ImmutableAssets {
  dir: string;
  except?: string[];
}

/** One framework: `recognise` looks at a directory's files only (no import), in the master and in `corral check`. */
export interface Framework {
  name: FrameworkName;
  title: string;
  /**
   * The plan for `dir`; a `problem` when the directory is this framework's project but cannot be served as it is
   * (not built, built for another target), saying what to do; undefined when it is not this framework's.
   */
  recognise(dir: string): FrameworkPlan | { problem: string } | undefined;
}

/** Hashed build assets never change under one name: a year, the longest a cache is asked to keep anything. */
export const IMMUTABLE_SECONDS = 31_536_000;
