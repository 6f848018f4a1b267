/** Autoanalyze for the embedded database, which has no autovacuum (see src/db/analyze-changed-tables.ts). */
import { analyzeChangedTables } from "../db/analyze-changed-tables.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Job } from "./job.ts";

export function embeddedAnalyzeJob(deps: { prisma: PrismaClient; logger: Logger }): Job {
  return {
    id: "embedded-analyze",
    schedule: "*/30 * * * * *",
    async run() {
      const analyzed = await analyzeChangedTables(deps.prisma);
      if (analyzed.length > 0) deps.logger.debug({ tables: analyzed }, "embedded database: tables analyzed");
    },
  };
}
