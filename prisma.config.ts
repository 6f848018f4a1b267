import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// Offline: the native schema-engine cannot be downloaded (Prisma's binary host is unreachable). `generate`,
// `validate`, `format` never run it, but the CLI insists the file exists; the stub makes `prisma migrate/db`
// fail loudly instead of silently doing nothing. Migrations: scripts/migrate.mjs.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(
  new URL("./prisma/offline/schema-engine-stub.sh", import.meta.url),
);

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
