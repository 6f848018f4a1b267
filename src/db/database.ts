/**
 * Opens Baton's database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, otherwise the embedded
 * PGlite in BATON_DATA_DIR. Both are migrated with the same migrations and used through the same Prisma client.
 */
import fs from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { ConfigError } from "../config/config-error.ts";
import type { RuntimeConfig } from "../config/env.ts";
import { PrismaClient } from "../generated/prisma/client.ts";
import { maskUrlPassword } from "../logger.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { registerDirectSql } from "./direct-sql.ts";
import { ping } from "./ping.ts";
import { preparedStatementNames } from "./prepared-statements.ts";
import { applyMigrations, type MigrationTarget } from "./schema-engine.ts";

export type { PrismaClient };

export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: "postgres" | "pglite";
  /** Where migrations run against this same database. */
  readonly migrationTarget: MigrationTarget;
  /** True when the database answers a query within the timeout. */
  isReady(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export type DatabaseOptions = RuntimeConfig["database"];

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "postgres") return openPostgres(options.url);
  const dataDir = path.resolve(options.dataDir);
  const dir = path.join(dataDir, "pglite");
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new ConfigError(`BATON_DATA_DIR: cannot create ${dir}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const unlock = lockDataDir(dataDir);
  let db: Database;
  try {
    // PGlite and its adapter are loaded only for the embedded database: on PostgreSQL they would be 45 MiB of
    // memory for nothing.
    const { EMBEDDED_START_PARAMS, wrapPglite } = await import("./embedded-database.ts");
    const { PGlite } = await import("@electric-sql/pglite");
    db = wrapPglite(await PGlite.create(dir, { startParams: EMBEDDED_START_PARAMS }));
  } catch (error) {
    unlock();
    const reason = String((error as Error)?.message ?? error).split("\n")[0];
    throw new ConfigError(`BATON_DATA_DIR: cannot open the embedded database in ${dir}: ${reason}`);
  }
  return {
    ...db,
    close: async () => {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}

function openPostgres(url: string): Database {
  // One pool and one set of statement names for Prisma and the direct path (src/db/direct-sql.ts).
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5_000, max: 10 });
  // An idle connection's error (PostgreSQL restarted) must not crash the process before Prisma's adapter listens;
  // the next query on the pool reports it.
  pool.on("error", () => {});
  const statementNames = preparedStatementNames();
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, {
      // Unnamed for all but the marked statements; the adapter passes undefined on to pg as "no name".
      statementNameGenerator: statementNames as (query: { sql: string }) => string,
      // The pool is this database's alone: closing the client closes it.
      disposeExternalPool: true,
    }),
  });
  registerDirectSql(prisma, pool, statementNames);
  return {
    prisma,
    kind: "postgres",
    migrationTarget: { databaseUrl: url },
    isReady: (timeoutMs) => ping(prisma, timeoutMs),
    close: async () => {
      await prisma.$disconnect();
      // Prisma ends the pool only if it ever connected; the direct path may have used it alone.
      if (!pool.ended) await pool.end();
    },
  };
}

/**
 * Applies pending migrations at start-up. A database that cannot be reached is a configuration problem:
 * the message names DATABASE_URL (password masked).
 */
export async function migrateOnStartup(db: Database, options: DatabaseOptions): Promise<string[]> {
  try {
    return (await applyMigrations(db.migrationTarget)).applied;
  } catch (error) {
    if (options.kind === "postgres") {
      const reason = String((error as Error).message ?? error).split("\n")[0];
      throw new ConfigError(`DATABASE_URL: cannot migrate ${maskUrlPassword(options.url)}: ${reason}`);
    }
    throw error;
  }
}
