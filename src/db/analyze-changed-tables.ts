/**
 * Autoanalyze for the embedded database: PGlite runs no autovacuum, so nothing refreshed its tables' statistics and
 * nothing replaced the plans PostgreSQL caches per connection (the foreign-key checks, the triggers' SQL). Planned
 * while the tables were a page or two, they kept scanning whole tables as the tables grew: each MQL and each accept
 * cost more than the one before (intake 9.4 → 11.8 ms per MQL over 4,000 MQLs, 7 ms flat with analyzes; an
 * accept's statement about 4 ms at 4,000 leads). An ANALYZE replaces them. This analyzes each table changed by more than autovacuum's own threshold since
 * its last analyze (50 rows plus a tenth of the table), so analyses come less often as tables grow: every 30 seconds
 * in a running Baton (src/jobs/embedded-analyze.ts; not on PostgreSQL, whose autovacuum does it) and every
 * 1,000 rows of a routed CSV import, on either database (an import outruns autovacuum's minute; 3,000 routed rows
 * on PGlite took 26 s instead of 34).
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
