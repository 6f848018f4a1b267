/**
 * The embedded database's autoanalyze (PGlite has no autovacuum): tables changed by more than autovacuum's threshold
 * since their last analyze are analyzed, the others left alone. On PGlite only: PostgreSQL's own autovacuum does it,
 * and its statistics reach pg_stat_user_tables asynchronously.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  analyzeChangedTables,
  EMBEDDED_STATISTICS_TARGET,
  MIN_ANALYZE_INTERVAL_MS,
  SMALL_TABLE_ROWS,
} from "../../src/db/analyze-changed-tables.ts";
import type { Database } from "../../src/db/database.ts";
import { createTestDatabase } from "../support/databases.ts";

async function insertLeads(db: Database, from: number, count: number) {
  await db.prisma.$executeRaw`
    INSERT INTO "Lead" (id, source, "externalId", email, "rawPayload", "updatedAt")
    SELECT gen_random_uuid(), 'test', 'lead-' || n, 'lead-' || n || '@analytical.example', '{}', now()
    FROM generate_series(${from}::int, ${from + count - 1}::int) AS n`;
}

/**
 * A test database with no change counted against any table. Earlier tests on this pooled database may have left
 * changes below the threshold, which TRUNCATE does not reset and analyzeChangedTables rightly leaves alone: an
 * ANALYZE of every table starts the count at zero (after the session's pending counts are flushed, which
 * analyzeChangedTables does first).
 */
async function analyzedTestDatabase(): Promise<Database> {
  const db = await createTestDatabase("pglite");
  await analyzeChangedTables(db.prisma);
  await db.prisma.$executeRaw`ANALYZE`;
  return db;
}

function insertAuditEntries(db: Database, count: number) {
  return db.prisma.$executeRaw`
    INSERT INTO "AuditLog" (id, actor, action)
    SELECT gen_random_uuid(), 'system', 'test' FROM generate_series(1, ${count}::int)`;
}

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe("analyzing the embedded database's changed tables", () => {
  it("analyzes a table once it changed by more than 50 rows and a tenth, and then not again", async () => {
    db = await analyzedTestDatabase();
    await insertLeads(db, 1, 40);
    expect(await analyzeChangedTables(db.prisma)).not.toContain("Lead");

    await insertLeads(db, 41, 200);
    expect(await analyzeChangedTables(db.prisma)).toContain("Lead");
    const [lead] = await db.prisma.$queryRaw<{ live: number; changed: number }[]>`
      SELECT n_live_tup::int AS live, n_mod_since_analyze::int AS changed FROM pg_stat_user_tables WHERE relname = 'Lead'`;
    expect(lead).toEqual({ live: 240, changed: 0 });
    expect(await analyzeChangedTables(db.prisma)).not.toContain("Lead");

    // 240 rows: the next analyze waits for more than 50 + 24 changes.
    await insertLeads(db, 241, 70);
    expect(await analyzeChangedTables(db.prisma)).not.toContain("Lead");
    await insertLeads(db, 311, 10);
    expect(await analyzeChangedTables(db.prisma)).toContain("Lead");
  });
});

describe("analyzing a large table", () => {
  it("waits a minute from its last analyze, however much it changed", async () => {
    db = await analyzedTestDatabase();
    await insertAuditEntries(db, SMALL_TABLE_ROWS);
    // Analyzed as a small table (it had no rows at its last analyze): now it counts as a large one.
    expect(await analyzeChangedTables(db.prisma)).toContain("AuditLog");
    const [{ analyzedAt }] = await db.prisma.$queryRaw<{ analyzedAt: Date }[]>`
      SELECT last_analyze AS "analyzedAt" FROM pg_stat_user_tables WHERE relname = 'AuditLog'`;

    // Past the threshold (50 rows and a tenth) several times over.
    await insertAuditEntries(db, SMALL_TABLE_ROWS);
    const sinceAnalyzed = (ms: number) => new Date(analyzedAt.getTime() + ms);
    expect(
      await analyzeChangedTables(db.prisma, { now: sinceAnalyzed(MIN_ANALYZE_INTERVAL_MS - 1_000) }),
    ).not.toContain("AuditLog");
    expect(await analyzeChangedTables(db.prisma, { now: sinceAnalyzed(MIN_ANALYZE_INTERVAL_MS) })).toContain(
      "AuditLog",
    );
  });
});

describe("large tables falling due together", () => {
  it("are analyzed a given number at a time, the most overdue first, small tables never held back", async () => {
    db = await analyzedTestDatabase();
    await insertLeads(db, 1, SMALL_TABLE_ROWS);
    await insertAuditEntries(db, SMALL_TABLE_ROWS);
    expect(await analyzeChangedTables(db.prisma, { maxLargeTables: 0 })).toEqual(
      expect.arrayContaining(["AuditLog", "Lead"]),
    );

    // Both large now and both due a minute on; the audit log three times as far past its threshold as the leads.
    await insertLeads(db, SMALL_TABLE_ROWS + 1, 500);
    await insertAuditEntries(db, 1500);
    // And a small table past its threshold: analyzed whatever the limit.
    await db.prisma.$executeRaw`INSERT INTO "MarketingSpend" (id, "weekStart", channel, amount)
      SELECT gen_random_uuid(), date '2026-01-05' + 7 * n, 'ads', 100 FROM generate_series(1, 60) AS n`;
    const aMinuteOn = { now: new Date(Date.now() + MIN_ANALYZE_INTERVAL_MS), maxLargeTables: 1 };
    const first = await analyzeChangedTables(db.prisma, aMinuteOn);
    expect(first.sort()).toEqual(["AuditLog", "MarketingSpend"]);
    // The leads and their KPI facts (kept by trigger) are the other two large tables due: one per call.
    const next = [await analyzeChangedTables(db.prisma, aMinuteOn), await analyzeChangedTables(db.prisma, aMinuteOn)];
    expect(next.map((tables) => tables.length)).toEqual([1, 1]);
    expect(next.flat().sort()).toEqual(["KpiLeadFact", "Lead"]);
  });
});

describe("the statistics target of an analysis", () => {
  const histogramBounds = async (database: Database) => {
    const [row] = await database.prisma.$queryRaw<{ bounds: number }[]>`
      SELECT coalesce(array_length(histogram_bounds::text::text[], 1), 0)::int AS bounds
      FROM pg_stats WHERE tablename = 'Lead' AND attname = 'email'`;
    return row?.bounds;
  };

  it("samples for the given target in its own transaction, and the database's default otherwise", async () => {
    db = await createTestDatabase("pglite");
    await analyzeChangedTables(db.prisma);
    await insertLeads(db, 1, 500);
    expect(await analyzeChangedTables(db.prisma, { statisticsTarget: EMBEDDED_STATISTICS_TARGET })).toContain("Lead");
    // Ten buckets: eleven bounds. Every email is distinct, so they all go to the histogram.
    expect(await histogramBounds(db)).toBe(11);
    const [{ target }] = await db.prisma.$queryRaw<
      { target: string }[]
    >`SELECT current_setting('default_statistics_target') AS target`;
    expect(target).toBe("100");

    await insertLeads(db, 501, 500);
    expect(await analyzeChangedTables(db.prisma)).toContain("Lead");
    expect(await histogramBounds(db)).toBe(101);
  });
});
