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
 *
 * A table of {@link SMALL_TABLE_ROWS} rows or more is analyzed at most once every {@link MIN_ANALYZE_INTERVAL_MS}
 * (autovacuum's own naptime): the plans that go wrong are those made on a table of a page or two, and past that
 * size the threshold alone still came every few seconds under load, each ANALYZE reading up to 30,000 rows of each
 * table that grew. At 200 MQL/s on PostgreSQL (bench/, same machine, same hour) every fifth second's intake came in
 * a burst of 50–170 ms answers: p99 68 ms, p95 33 ms and 3.0 ms of database CPU per MQL; with this rule 25 ms, 8.5 ms
 * and 1.6 ms.
 */
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

/** autovacuum_analyze_threshold and autovacuum_analyze_scale_factor, PostgreSQL's defaults. */
const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE_FACTOR = 0.1;
/** Below this many rows (as of the table's last analyze) a table is analyzed whenever it passes the threshold. */
export const SMALL_TABLE_ROWS = 1_000;
/** autovacuum_naptime's default: how often autovacuum looks at a database at most. */
export const MIN_ANALYZE_INTERVAL_MS = 60_000;

/**
 * The embedded database's statistics target for these analyses, instead of PostgreSQL's 100: ANALYZE samples 300
 * rows per unit of target, and on PGlite an ANALYZE holds up every query behind it in the one session (a 40,000-lead
 * "Lead" took 120–140 ms at 100, 14–15 ms at 10; accepts waiting behind it made the acknowledgement p99). Ten
 * buckets and ten common values are plenty for what these plans choose: an index or a scan, which join first.
 */
export const EMBEDDED_STATISTICS_TARGET = 10;

/**
 * Analyzes the tables changed enough since their last analyze; returns their names. With `statisticsTarget`, each
 * ANALYZE samples for that target (set for its own transaction only) instead of the database's default. `now` is
 * the time the minimum interval of a large table counts to (the database's clock otherwise). With
 * `maxLargeTables`, at most that many large tables are analyzed, the most overdue first, and the rest wait for the
 * next call: a minute after a burst of writes every large table falls due at once, and analyzing them back to back
 * made one burst of slow answers where a job every few seconds can spread them out. Small tables are never held back.
 */
export async function analyzeChangedTables(
  prisma: PrismaClient,
  options: { statisticsTarget?: number; now?: Date; maxLargeTables?: number } = {},
): Promise<string[]> {
  // The counts of the process's own writes reach pg_stat_user_tables at most once a second; this brings them now
  // (PostgreSQL 15 and later; before, they are at most a second late, which changes nothing here).
  await prisma.$queryRaw`SELECT pg_stat_force_next_flush()::text`.catch(() => undefined);
  // Changes past this many since its last analyze make a table due; how far past orders the large ones.
  const threshold = Prisma.sql`(${ANALYZE_THRESHOLD} + ${ANALYZE_SCALE_FACTOR} * greatest(class.reltuples, 0))`;
  const due = await prisma.$queryRaw<{ name: string; large: boolean }[]>`
    SELECT stats.relname AS name, class.reltuples >= ${SMALL_TABLE_ROWS} AS large
    FROM pg_stat_user_tables stats JOIN pg_class class ON class.oid = stats.relid
    WHERE stats.schemaname = 'public'
      AND stats.n_mod_since_analyze > ${threshold}
      AND (class.reltuples < ${SMALL_TABLE_ROWS}
        OR coalesce(greatest(stats.last_analyze, stats.last_autoanalyze), '-infinity'::timestamptz)
          <= ${options.now ?? Prisma.sql`now()`}::timestamptz - make_interval(secs => ${MIN_ANALYZE_INTERVAL_MS / 1000}))
    ORDER BY stats.n_mod_since_analyze / ${threshold} DESC, stats.relname`;
  const { statisticsTarget, maxLargeTables = Number.POSITIVE_INFINITY } = options;
  let largeTables = 0;
  const tables = due.filter(({ large }) => !large || ++largeTables <= maxLargeTables);
  for (const { name } of tables) {
    const analyze = Prisma.sql`ANALYZE ${Prisma.raw(`"${name.replaceAll('"', '""')}"`)}`;
    if (statisticsTarget === undefined) {
      await prisma.$executeRaw(analyze);
      continue;
    }
    await prisma.$transaction([
      prisma.$queryRaw`SELECT set_config('default_statistics_target', ${String(statisticsTarget)}, true)`,
      prisma.$executeRaw(analyze),
    ]);
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
