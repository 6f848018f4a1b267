/**
 * Test databases. Every repository suite runs the same cases on both engines Baton supports:
 * - PGlite: one in-memory instance per worker with the migrations applied, cloned per test (fast, isolated);
 * - PostgreSQL: when BATON_TEST_POSTGRES_URL is set (CI sets it), a template database migrated with the real
 *   migration code, copied per test with CREATE DATABASE … TEMPLATE.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterEach, beforeAll, describe } from "vitest";
import { type Database, openDatabase, wrapPglite } from "../../src/db/database.ts";
import { applyMigrations, MIGRATIONS_DIR } from "../../src/db/schema-engine.ts";

export type Engine = "pglite" | "postgres";

/** e.g. postgresql://postgres@127.0.0.1:5432/postgres — an admin connection allowed to CREATE DATABASE. */
export const POSTGRES_ADMIN_URL = process.env.BATON_TEST_POSTGRES_URL;
export const ENGINES: Engine[] = POSTGRES_ADMIN_URL ? ["pglite", "postgres"] : ["pglite"];

function migrationFiles(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(MIGRATIONS_DIR, entry.name, "migration.sql"))
    .sort();
}

let pgliteTemplate: Promise<PGlite> | undefined;
function migratedPglite(): Promise<PGlite> {
  pgliteTemplate ??= (async () => {
    const db = await PGlite.create("memory://");
    await applyMigrations({ pglite: db });
    return db;
  })();
  return pgliteTemplate;
}

const migrationsHash = () =>
  createHash("sha256")
    .update(
      migrationFiles()
        .map((file) => fs.readFileSync(file, "utf8"))
        .join("\n--\n"),
    )
    .digest("hex")
    .slice(0, 12);

/** Connection URL for a database name on the test server. */
export function postgresUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL as string);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withPostgresAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let postgresTemplate: Promise<string> | undefined;
function migratedPostgresTemplate(): Promise<string> {
  postgresTemplate ??= withPostgresAdmin(async (admin) => {
    const name = `baton_template_${migrationsHash()}`;
    // Test files run in parallel workers: one creates the template, the others wait on the lock.
    await admin.query("SELECT pg_advisory_lock(727073)");
    try {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount === 0) {
        await admin.query(`CREATE DATABASE "${name}"`);
        try {
          await applyMigrations({ databaseUrl: postgresUrl(name) });
        } catch (error) {
          await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
          throw error;
        }
      }
    } finally {
      await admin.query("SELECT pg_advisory_unlock(727073)");
    }
    return name;
  });
  return postgresTemplate;
}

/** An empty database on the test server (no migrations), dropped by the returned function. */
export async function createEmptyPostgresDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `baton_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await withPostgresAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: postgresUrl(name),
    drop: () =>
      withPostgresAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

/** A fresh, migrated database of the given engine; `close()` disposes of it. */
export async function createTestDatabase(engine: Engine): Promise<Database> {
  if (engine === "pglite") {
    const template = await migratedPglite();
    return wrapPglite((await template.clone()) as PGlite);
  }
  const template = await migratedPostgresTemplate();
  const name = `baton_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await withPostgresAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const db = await openDatabase({ kind: "postgres", url: postgresUrl(name) });
  return {
    ...db,
    isReady: db.isReady,
    close: async () => {
      await db.close();
      await withPostgresAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * Runs the same suite once per engine. `database()` returns this test's fresh database (created lazily, closed
 * after the test).
 */
export function describeEachDatabase(
  title: string,
  suite: (database: () => Promise<Database>, engine: Engine) => void,
) {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, () => {
      // Migrating the template is the slow part (seconds, more on a busy machine): do it under the hook timeout,
      // not inside the first test's.
      beforeAll(async () => {
        await (engine === "pglite" ? migratedPglite() : migratedPostgresTemplate());
      });
      let current: Promise<Database> | undefined;
      afterEach(async () => {
        const db = await current;
        current = undefined;
        await db?.close();
      });
      suite(() => {
        current ??= createTestDatabase(engine);
        return current;
      }, engine);
    });
  }
}
