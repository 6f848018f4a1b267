/**
 * Autoanalyze where the database runs none: PGlite has no autovacuum, and a PostgreSQL may have it turned off. Without
 * it nothing refreshed the tables' statistics and nothing replaced the plans PostgreSQL caches per connection (the
 * foreign-key checks, the triggers' SQL, prepared statements). Planned while the tables were a page or two, they
 * kept scanning whole tables as the tables grew: each MQL and each accept cost more than the one before (on PGlite
 * intake 9.4 → 11.8 ms per MQL over 4,000 MQLs, 7 ms flat with analyzes; on PostgreSQL at 200 MQL/s the foreign-key
 * checks against "Lead" read 37 million rows in the first 5,000 MQLs). An ANALYZE replaces them. This analyzes each
 * table changed by more than autovacuum's own threshold since its last analyze (50 rows plus a tenth of the table),
 * so analyses come less often as tables grow: every few seconds in a running Baton (src/jobs/analyze-tables.ts) and
 * every 1,000 rows of a routed CSV import, on either database (an import outruns autovacuum's minute; 3,000 routed
 * rows on PGlite took 26 s instead of 34).
 */
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

/** autovacuum_analyze_threshold and autovacuum_analyze_scale_factor, PostgreSQL's defaults. */
const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE_FACTOR = 0.1;

/** Analyzes the tables changed enough since their last analyze; returns their names. */
export async function analyzeChangedTables(prisma: PrismaClient): Promise<string[]> {
  // The counts of the process's own writes reach pg_stat_user_tables at most once a second; this brings them now
  // (PostgreSQL 15 and later; before, they are at most a second late, which changes nothing here).
  await prisma.$queryRaw`SELECT pg_stat_force_next_flush()::text`.catch(() => undefined);
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT stats.relname AS name
    FROM pg_stat_user_tables stats JOIN pg_class class ON class.oid = stats.relid
    WHERE stats.schemaname = 'public'
      AND stats.n_mod_since_analyze > ${ANALYZE_THRESHOLD} + ${ANALYZE_SCALE_FACTOR} * greatest(class.reltuples, 0)
    ORDER BY stats.relname`;
  for (const { name } of tables) {
    await prisma.$executeRaw`ANALYZE ${Prisma.raw(`"${name.replaceAll('"', '""')}"`)}`;
  }
  return tables.map(({ name }) => name);
}

/**
 * Whether Baton must analyze its tables itself: always on the embedded database (PGlite runs no autovacuum, whatever
 * its setting says), and on a PostgreSQL whose autovacuum is off.
 */
export async function analyzesOwnTables(db: { kind: "postgres" | "pglite"; prisma: PrismaClient }): Promise<boolean> {
  if (db.kind === "pglite") return true;
  const [row] = await db.prisma.$queryRaw<{ on: boolean }[]>`SELECT current_setting('autovacuum') = 'on' AS on`;
  return row?.on !== true;
}
