import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "src/**/*.test.ts"],
    // The example monorepo has its own tests/ folders: they are fixtures, never run.
    exclude: ["examples/**", "node_modules/**", "dist/**"],
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
