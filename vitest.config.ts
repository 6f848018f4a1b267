import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: more workers only make PGlite boots fight for them.
    maxWorkers: 2,
    pool: "forks",
  },
});
