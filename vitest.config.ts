import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "src/**/*.test.ts"],
    // The example monorepo has its own tests/ folders: they are fixtures, never run.
    exclude: ["examples/**", "node_modules/**", "dist/**"],
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    // The first check in a test file starts an engine worker, which loads the engine from its
    // sources (several seconds on a loaded 2-core machine): a limit for hangs, not a speed target.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
