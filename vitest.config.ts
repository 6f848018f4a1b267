import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Migrates one PGlite per run; workers load its dump instead of migrating their own.
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: more workers only make PGlite boots fight for them.
    maxWorkers: 2,
    pool: "forks",
    // Files in a worker share one module graph: the app, Bolt and botbuilder are imported once per worker, not per file.
    isolate: false,
  },
});
