// Types of test/apps/frameworks.mjs for the TypeScript tests that import it.
export declare const FRAMEWORKS: readonly string[];
/** The built copy of test/apps/<name> under .cache/apps/ (built first when missing or stale). */
export declare function builtApp(name: string): string;
