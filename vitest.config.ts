// Test runner settings: unit and HTTP tests once, and the end-to-end suite once per entry (npm bundle, single executable).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/** The end-to-end suite runs against each way corral is shipped; test/e2e/harness.ts reads CORRAL_ENTRY. */
const entries = ['npm', 'sea'] as const;

export default defineConfig({
  define: { CORRAL_VERSION: JSON.stringify(pkg.version) },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    reporters: ['default'],
    // npm run coverage: in-process tests only (the end-to-end suite's children are separate processes v8 does not follow).
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts'],
      reporter: ['text-summary', 'json-summary', 'html'],
      reportsDirectory: '.cache/coverage',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.mjs'],
          exclude: ['test/e2e/**'],
          // The loader's type-stripping tests run on the Node the single executable embeds (`npm run build` caches it).
          env: { CORRAL_TEST_NODE26: fileURLToPath(new URL('./.cache/node-26.10.0/node', import.meta.url)) },
        },
      },
      ...entries.map((entry) => ({
        extends: true as const,
        test: {
          name: `e2e-${entry}`,
          // test/e2e/sea/ holds what only the single executable promises (running with no Node installed).
          include: entry === 'sea' ? ['test/e2e/*.test.ts', 'test/e2e/sea/*.test.ts'] : ['test/e2e/*.test.ts'],
          env: { CORRAL_ENTRY: entry },
        },
      })),
      {
        extends: true,
        test: {
          // The full-stack frameworks' builds (test/apps/<framework>/, built into .cache/apps/ by test/apps/frameworks.mjs)
          // served by the npm entry; one file per framework, so no two forks build the same app.
          name: 'e2e-frameworks',
          include: ['test/e2e/frameworks/*.test.ts'],
          env: { CORRAL_ENTRY: 'npm' },
        },
      },
    ],
  },
});
