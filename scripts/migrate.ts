/**
 * Migrations without Prisma's native engine (see src/db/schema-engine.ts).
 *   npm run db:new -- <name>   write prisma/migrations/<timestamp>_<name>/migration.sql from a schema change
 *   npm run db:migrate         apply pending migrations to DATABASE_URL, or to the embedded PGlite in BATON_DATA_DIR
 *   npm run db:status          the migration history's state; exit 1 unless clean
 *   npm run db:resolve -- --rolled-back|--applied <migration>
 */
import "dotenv/config";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { ConfigError, parseEnv } from "../src/config/index.ts";
import { lockDataDir } from "../src/db/data-dir-lock.ts";
import { EMBEDDED_START_PARAMS } from "../src/db/embedded-database.ts";
import {
  applyMigrations,
  createMigration,
  diagnoseMigrations,
  type MigrationTarget,
  resolveMigration,
} from "../src/db/schema-engine.ts";

async function withTarget<T>(work: (target: MigrationTarget) => Promise<T>): Promise<T> {
  const { database } = parseEnv(process.env);
  if (database.kind === "postgres") return work({ databaseUrl: database.url });
  const unlock = lockDataDir(path.resolve(database.dataDir));
  try {
    const pglite = await PGlite.create(path.resolve(database.dataDir, "pglite"), {
      startParams: EMBEDDED_START_PARAMS,
    });
    try {
      return await work({ pglite });
    } finally {
      await pglite.close();
    }
  } finally {
    unlock();
  }
}

const [command, ...args] = process.argv.slice(2);
try {
  switch (command) {
    case "new": {
      const dir = await createMigration(args[0] ?? "");
      console.log(dir ? `Created ${path.relative(process.cwd(), dir)}/migration.sql` : "No schema changes.");
      break;
    }
    case "deploy": {
      const { applied } = await withTarget((target) => applyMigrations(target));
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "No pending migrations.");
      break;
    }
    case "status": {
      const diagnosis = await withTarget((target) => diagnoseMigrations(target));
      console.log(JSON.stringify(diagnosis, null, 2));
      if (diagnosis.history || diagnosis.failedMigrationNames.length || diagnosis.editedMigrationNames.length) {
        process.exitCode = 1;
      }
      break;
    }
    case "resolve": {
      const [flag, name] = args;
      if (!name || (flag !== "--applied" && flag !== "--rolled-back")) {
        throw new Error("usage: db:resolve -- --rolled-back|--applied <migration>");
      }
      await withTarget((target) => resolveMigration(target, flag === "--applied" ? "applied" : "rolled-back", name));
      console.log(`Marked ${name} ${flag.slice(2)}.`);
      break;
    }
    default:
      throw new Error("usage: migrate.ts new <name> | deploy | status | resolve --rolled-back|--applied <name>");
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : ((error as Error)?.message ?? error));
  process.exitCode = 1;
}
// The WASM schema engine leaves a 10 s timer pending (its advisory-lock timeout): don't wait for it.
process.exit();
