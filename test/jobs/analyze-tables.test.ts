/**
 * Baton analyzes its own tables where no autovacuum does: on PGlite always, on PostgreSQL when autovacuum is off
 * (as on the machines these tests run on). A table past the threshold is analyzed by the job's run.
 */
import { expect, it, vi } from "vitest";
import { analyzesOwnTables } from "../../src/db/analyze-changed-tables.ts";
import { analyzeTablesJob } from "../../src/jobs/analyze-tables.ts";
import { createLogger } from "../../src/logger.ts";
import { describeEachDatabase } from "../support/databases.ts";

describeEachDatabase("the analyze-tables job", (database, engine) => {
  it("runs where no autovacuum analyzes: PGlite always, PostgreSQL when its autovacuum is off", async () => {
    const db = await database();
    if (engine === "pglite") {
      expect(await analyzesOwnTables(db)).toBe(true);
      return;
    }
    const [{ autovacuum }] = await db.prisma.$queryRaw<{ autovacuum: string }[]>`SHOW autovacuum`;
    expect(await analyzesOwnTables(db)).toBe(autovacuum === "off");
  });

  it("analyzes a table that grew past the threshold, so that plans made on its empty pages are replaced", async () => {
    const db = await database();
    const job = analyzeTablesJob({ prisma: db.prisma, kind: db.kind, logger: createLogger("silent") });
    expect(job.schedule).toBe(engine === "postgres" ? "*/5 * * * * *" : "*/30 * * * * *");
    await job.run({ now: new Date() }); // whatever the database held before
    const lastAnalyzed = async () => {
      const [row] = await db.prisma.$queryRaw<{ at: Date | null; live: number }[]>`
        SELECT greatest(last_analyze, last_autoanalyze) AS at, n_live_tup::int AS live
        FROM pg_stat_user_tables WHERE relname = 'Lead'`;
      return row;
    };
    const before = (await lastAnalyzed())?.at ?? null;
    // One transaction, its statistics flushed at its end: the job's session sees the 300 rows without waiting for
    // PostgreSQL's once-a-second flush.
    await db.prisma.$transaction([
      db.prisma.$executeRaw`
        INSERT INTO "Lead" (id, source, "externalId", email, "rawPayload", "updatedAt")
        SELECT gen_random_uuid(), 'test', 'lead-' || n, 'lead-' || n || '@analytical.example', '{}', now()
        FROM generate_series(1, 300) AS n`,
      db.prisma.$queryRaw`SELECT pg_stat_force_next_flush()::text`,
    ]);
    await vi.waitFor(
      async () => {
        await job.run({ now: new Date() });
        const after = await lastAnalyzed();
        expect(after?.at).toBeInstanceOf(Date);
        expect(after?.at?.getTime()).not.toBe(before?.getTime());
        expect(after?.live).toBe(300);
      },
      { timeout: 5_000, interval: 250 },
    );
  });
});
