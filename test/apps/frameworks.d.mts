// Types of test/apps/frameworks.mjs for the TypeScript tests that import it.
export declare const FRAMEWORKS: readonly string[];
/** The built copy of test/apps/<name> under .cache/apps/ (built first when missing or stale). */
export declare function builtApp(name: string): string;
/** test/apps/<name> built into `target` with a variant's env, build arguments and added files. */
export declare function buildApp(
  name: string,
  target: string,
  variant?: { env?: Record<string, string>; args?: string[]; files?: Record<string, string> },
  log?: (line: string) => void,
): string;
/** The environment the apps are built with: production, no telemetry or colours, no vitest variables. */
export declare function buildEnv(): NodeJS.ProcessEnv;
