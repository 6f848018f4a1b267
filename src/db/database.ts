/**
 * Opens Baton's database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, otherwise the embedded
 * PGlite in BATON_DATA_DIR. Both are migrated with the same migrations and used through the same Prisma client.
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { ConfigError } from "../config/config-error.ts";
import type { RuntimeConfig } from "../config/env.ts";
import { PrismaClient } from "../generated/prisma/client.ts";
import { maskUrlPassword } from "../logger.ts";
import { lockDataDir } from "./data-dir-lock.ts";
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
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5_000, max: 10 }),
  });
  return {
    prisma,
    kind: "postgres",
    migrationTarget: { databaseUrl: url },
    isReady: (timeoutMs) => ping(prisma, timeoutMs),
    close: () => prisma.$disconnect(),
  };
}

/**
 * PGlite's start-up arguments with 32 MB of shared buffers instead of PostgreSQL's default 128 MB: the buffers live
 * in the WASM heap, and at 128 MB the embedded server idled at 600–980 MiB RSS; one process's working set fits in
 * 32 MB (about 490 MiB idle, see bench/README.md).
 */
export const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

/** Wraps an open PGlite (a data dir, memory, or a test clone) in Baton's database interface. */
export function wrapPglite(pglite: PGlite): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    kind: "pglite",
    migrationTarget: { pglite },
    isReady: (timeoutMs) => ping(prisma, timeoutMs),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function ping(prisma: PrismaClient, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([prisma.$queryRaw`SELECT 1`.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
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
