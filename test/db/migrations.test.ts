import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  diagnoseMigrations,
  MIGRATIONS_DIR,
  type MigrationTarget,
} from "../../src/db/schema-engine.ts";
import { createEmptyPostgresDatabase, POSTGRES_ADMIN_URL } from "../support/databases.ts";

const migrationNames = fs
  .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Applies to an empty database twice: everything the first time, nothing the second, and a clean history. */
async function migratesOnceAndStaysClean(target: MigrationTarget) {
  expect((await applyMigrations(target)).applied).toEqual(migrationNames);
  expect((await applyMigrations(target)).applied).toEqual([]);
  const diagnosis = await diagnoseMigrations(target);
  expect(diagnosis.hasMigrationsTable).toBe(true);
  expect(diagnosis.failedMigrationNames).toEqual([]);
  expect(diagnosis.editedMigrationNames).toEqual([]);
}

describe("migrations on an empty PGlite", () => {
  const pglite = new PGlite("memory://");
  afterAll(() => pglite.close());

  it("applies every migration once and leaves a clean history", async () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    await migratesOnceAndStaysClean({ pglite });
    const rows = await pglite.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
    );
    expect(rows.rows.map((row) => row.migration_name)).toEqual(migrationNames);
    const tables = await pglite.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(["Lead", "Team", "Rep", "Offer", "OutboxMessage", "AuditLog"]),
    );
  });
});

describe.skipIf(!POSTGRES_ADMIN_URL)("migrations on an empty PostgreSQL database", () => {
  it("applies every migration once and leaves a clean history", async () => {
    const database = await createEmptyPostgresDatabase();
    try {
      await migratesOnceAndStaysClean({ databaseUrl: database.url });
    } finally {
      await database.drop();
    }
  });
});
