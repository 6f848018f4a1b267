/**
 * Records every SQL statement a Prisma client sends, transaction control included, by wrapping its driver adapter:
 * what the database sees, not what the code calls. For statement budgets: a path that grows a query shows up here.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { Database } from "../../src/db/database.ts";
import { PrismaClient } from "../../src/generated/prisma/client.ts";

// biome-ignore lint/suspicious/noExplicitAny: driver adapter objects are untyped at this seam
type Adapter = any;

export interface StatementLog {
  /** The statements since the last `clear()`, in order; BEGIN, COMMIT and ROLLBACK included. */
  readonly statements: string[];
  clear(): void;
}

function recording<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === "string" && property in overrides) return overrides[property];
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

function recordQueries(queryable: Adapter, log: string[]): Record<string, unknown> {
  return {
    queryRaw: (query: { sql: string }) => {
      log.push(query.sql);
      return queryable.queryRaw(query);
    },
    executeRaw: (query: { sql: string }) => {
      log.push(query.sql);
      return queryable.executeRaw(query);
    },
  };
}

// Prisma sends COMMIT as a statement on some adapters and calls commit() on all: count it once.
function endOnce(log: string[], word: "COMMIT" | "ROLLBACK") {
  if (log.at(-1)?.trim().toUpperCase() !== word) log.push(word);
}

function recordingAdapter(adapter: Adapter, log: string[]): Adapter {
  return recording(adapter, {
    ...recordQueries(adapter, log),
    startTransaction: async (...args: unknown[]) => {
      log.push("BEGIN");
      const tx = await adapter.startTransaction(...args);
      return recording(tx, {
        ...recordQueries(tx, log),
        commit: () => {
          endOnce(log, "COMMIT");
          return tx.commit();
        },
        rollback: () => {
          endOnce(log, "ROLLBACK");
          return tx.rollback();
        },
      });
    },
  });
}

/** A second Prisma client on the same test database whose statements are recorded; `close()` disconnects it. */
export function recordStatements(db: Database): { prisma: PrismaClient; log: StatementLog; close(): Promise<void> } {
  const target = db.migrationTarget;
  const factory: Adapter =
    "pglite" in target ? new PrismaPGlite(target.pglite) : new PrismaPg({ connectionString: target.databaseUrl });
  const statements: string[] = [];
  const adapter = recording(factory, {
    connect: async () => recordingAdapter(await factory.connect(), statements),
  });
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    log: {
      statements,
      clear: () => {
        statements.length = 0;
      },
    },
    close: () => prisma.$disconnect(),
  };
}
