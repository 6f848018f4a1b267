/**
 * Test databases. Every repository suite runs the same cases on both engines Baton supports:
 * - PGlite: loaded from a dump of a migrated data directory that test/support/global-setup.ts builds once per run;
 * - PostgreSQL: when BATON_TEST_POSTGRES_URL is set (CI sets it), databases copied with CREATE DATABASE … TEMPLATE
 *   from a template migrated with the real migration code.
 * Booting a PGlite or copying a database costs seconds on a busy machine, truncating a dozen near-empty tables a
 * few milliseconds: so each worker keeps the databases it made and, when a test is done with one, empties it for
 * the next test. A test always starts on an empty, migrated database; one it leaves unusable (a transaction still
 * open, connections refused) is thrown away rather than reused.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { EMBEDDED_START_PARAMS, wrapPglite } from "../../src/db/embedded-database.ts";
import { applyMigrations, MIGRATIONS_DIR } from "../../src/db/schema-engine.ts";

export type Engine = "pglite" | "postgres";

/** e.g. postgresql://postgres@127.0.0.1:5432/postgres — an admin connection allowed to CREATE DATABASE. */
export const POSTGRES_ADMIN_URL = process.env.BATON_TEST_POSTGRES_URL;
export const ENGINES: Engine[] = POSTGRES_ADMIN_URL ? ["pglite", "postgres"] : ["pglite"];

/** How long emptying a database for the next test may take before the database is thrown away instead. */
const RESET_TIMEOUT_MS = 10_000;

function migrationFiles(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(MIGRATIONS_DIR, entry.name, "migration.sql"))
    .sort();
}

let pgliteDump: Blob | undefined;
/** A new PGlite holding the migrated schema: loaded from the run's dump, or migrated here when there is none. */
async function bootMigratedPglite(): Promise<PGlite> {
  const file = inject("migratedPgliteDump");
  if (!file) {
    const db = await PGlite.create("memory://", { startParams: EMBEDDED_START_PARAMS });
    await applyMigrations({ pglite: db });
    return db;
  }
  pgliteDump ??= new Blob([fs.readFileSync(file)]);
  return PGlite.create({ loadDataDir: pgliteDump, startParams: EMBEDDED_START_PARAMS });
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

export async function withPostgresAdmin<T>(work: (client: pg.Client) => Promise<T>, url = POSTGRES_ADMIN_URL) {
  const client = new pg.Client({ connectionString: url });
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

const dropPostgresDatabase = (name: string) =>
  withPostgresAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {});

/** An empty database on the test server (no migrations), dropped by the returned function. */
export async function createEmptyPostgresDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `baton_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await withPostgresAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  return { name, url: postgresUrl(name), drop: () => dropPostgresDatabase(name) };
}

type Query = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

/**
 * What a test could change about a database beyond its rows: tables, columns, defaults, constraints, indexes,
 * triggers, functions, enum values. A database whose fingerprint moved (a test added a trigger to make writes
 * fail, say) is thrown away rather than emptied for the next test.
 */
const SCHEMA_FINGERPRINT = `
  SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) AS fingerprint FROM (
    SELECT 'c:' || c.relname || ':' || c.relkind::text FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
    UNION ALL SELECT 'a:' || c.relname || '.' || a.attname || ':' || a.atttypid::text || ':' || a.attnotnull::text || ':'
        || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT 'k:' || conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT 't:' || tgname FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL SELECT 'p:' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    UNION ALL SELECT 'e:' || enumtypid::text || ':' || enumlabel FROM pg_enum
  ) AS items(item)`;

async function schemaFingerprint(query: Query): Promise<string> {
  const { rows } = await query(SCHEMA_FINGERPRINT);
  return String(rows[0]?.fingerprint);
}

/** Empties every table but the migration history, in one statement; refuses a database whose schema changed. */
async function emptyForNextTest(query: Query, fingerprint: string) {
  if ((await schemaFingerprint(query)) !== fingerprint) throw new Error("a test changed the schema");
  const { rows } = await query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
  );
  if (rows.length === 0) return;
  await query(`TRUNCATE ${rows.map((row) => `"${row.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A database this worker keeps across tests: emptied between them, thrown away when that fails. */
interface Slot {
  lease(): Promise<Database>;
  reset(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * The test's own view of a kept PGlite: queries after the test closed it (work a test left running in the
 * background) fail instead of landing in the next test's data.
 */
function fencedPglite(pglite: PGlite): { pglite: PGlite; fence: () => void } {
  let open = true;
  const guarded = new Set<PropertyKey>(["query", "exec", "transaction", "sql"]);
  const proxy = new Proxy(pglite, {
    get(target, property) {
      if (!open && guarded.has(property)) {
        return () => Promise.reject(new Error("this test's database was closed"));
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { pglite: proxy, fence: () => (open = false) };
}

async function pgliteSlot(): Promise<Slot> {
  const pglite = await bootMigratedPglite();
  const query: Query = (sql) => pglite.query(sql);
  const fingerprint = await schemaFingerprint(query);
  return {
    async lease() {
      const { pglite: fenced, fence } = fencedPglite(pglite);
      const db = wrapPglite(fenced);
      return {
        ...db,
        close: async () => {
          fence();
          await db.prisma.$disconnect();
        },
      };
    },
    reset: async () => {
      // One session serves every test: settings, temporary tables and advisory locks must not carry over.
      await pglite.exec("DISCARD ALL");
      await emptyForNextTest(query, fingerprint);
    },
    discard: () => pglite.close(),
  };
}

async function postgresSlot(): Promise<Slot> {
  const template = await migratedPostgresTemplate();
  const name = `baton_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await withPostgresAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = postgresUrl(name);
  const fingerprint = await withPostgresAdmin((client) => schemaFingerprint((sql) => client.query(sql)), url);
  return {
    // Opened per test: closing the pool at the test's end also cuts off work the test left in the background.
    lease: () => openDatabase({ kind: "postgres", url }),
    reset: () =>
      withPostgresAdmin(async (client) => {
        // A connection a test leaked may still hold locks: wait a little, never for ever.
        await client.query("SET lock_timeout = '5s'");
        await emptyForNextTest((sql) => client.query(sql), fingerprint);
      }, url),
    discard: () => dropPostgresDatabase(name),
  };
}

const idle: Record<Engine, Slot[]> = { pglite: [], postgres: [] };
const all = new Set<Slot>();

afterAll(async () => {
  const slots = [...all];
  all.clear();
  idle.pglite.length = 0;
  idle.postgres.length = 0;
  await Promise.all(slots.map((slot) => slot.discard().catch(() => {})));
});

/** A fresh, migrated, empty database of the given engine; `close()` disposes of it. */
export async function createTestDatabase(engine: Engine): Promise<Database> {
  let slot = idle[engine].pop();
  if (!slot) {
    slot = await (engine === "pglite" ? pgliteSlot() : postgresSlot());
    all.add(slot);
  }
  const kept = slot;
  const db = await kept.lease();
  let closed = false;
  return {
    ...db,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await db.close();
        await withTimeout(kept.reset(), RESET_TIMEOUT_MS, "emptying the test database");
        idle[engine].push(kept);
      } catch {
        all.delete(kept);
        await kept.discard().catch(() => {});
      }
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
      // Booting the first database is the slow part (seconds on a busy machine): do it under the hook timeout,
      // not inside the first test's.
      beforeAll(async () => {
        await (await createTestDatabase(engine)).close();
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
