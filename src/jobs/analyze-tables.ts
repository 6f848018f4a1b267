/**
 * Keeps table statistics fresh where nothing else does: always on the embedded database (PGlite runs no
 * autovacuum), and on PostgreSQL when its autovacuum is off (see src/db/analyze-changed-tables.ts for why stale
 * statistics cost so much). On PostgreSQL every five seconds, because the plans that matter most are made in the
 * first seconds of a fresh database: the foreign-key checks each insert runs, planned while a table was a page, scan
 * the whole table until an ANALYZE replaces them (at 200 MQL/s with autovacuum off: p99 1.1 s after a minute). On
 * PGlite every thirty: there an ANALYZE holds up every query behind it in the one embedded session (every five
 * seconds put the acknowledgement p99 of accepts at 50/s from 15 to 150 ms), and it takes 50 MQL/s, not 200; and
 * with a smaller sample (EMBEDDED_STATISTICS_TARGET), so that each ANALYZE holds it up for milliseconds.
 * A table of 1,000 rows or more is analyzed at most once a minute, as autovacuum would (analyze-changed-tables.ts),
 * and one such table per run on PostgreSQL (two on PGlite), so that those falling due together are spread out.
 * A run that finds nothing past the threshold costs one small query.
 */
import { analyzeChangedTables, EMBEDDED_STATISTICS_TARGET } from "../db/analyze-changed-tables.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Job } from "./job.ts";

export function analyzeTablesJob(deps: { prisma: PrismaClient; kind: "postgres" | "pglite"; logger: Logger }): Job {
  return {
    id: "analyze-tables",
    schedule: deps.kind === "postgres" ? "*/5 * * * * *" : "*/30 * * * * *",
    async run() {
      const analyzed = await analyzeChangedTables(
        deps.prisma,
        deps.kind === "pglite"
          ? { statisticsTarget: EMBEDDED_STATISTICS_TARGET, maxLargeTables: 2 }
          : { maxLargeTables: 1 },
      );
      if (analyzed.length > 0) deps.logger.debug({ tables: analyzed }, "tables analyzed");
    },
  };
}
