/** The open pipeline at the period's end: deals opened before it and not closed by then, at their current amount. */
import type { KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { type KpiDb, type KpiWindow, leadScopeSql, toNumber } from "./kpi-query-scope.ts";

export async function sumOpenPipeline(db: KpiDb, window: KpiWindow, scope: KpiScope): Promise<number> {
  const scoped = leadScopeSql(scope);
  // Unfiltered, no lead is read at all; filtered, each deal's lead is looked up by its key (in KpiLeadFact, which
  // carries the lead's scope columns in a narrow row).
  const inScope =
    scoped === Prisma.empty
      ? Prisma.empty
      : Prisma.sql`WHERE EXISTS (SELECT 1 FROM "KpiLeadFact" l WHERE l."leadId" = d."leadId" ${scoped})`;
  // "Not closed by the end" split in two so each half is a range of the (closedAt, openedAt) index: still open, and
  // closed after the period.
  const [row] = await db.$queryRaw<{ amount: string }[]>`
    SELECT COALESCE(sum(d.amount), 0)::text AS amount
    FROM (
      SELECT amount, "leadId" FROM "Deal" WHERE "closedAt" IS NULL AND "openedAt" < ${window.end}
      UNION ALL
      SELECT amount, "leadId" FROM "Deal" WHERE "closedAt" >= ${window.end} AND "openedAt" < ${window.end}
    ) d
    ${inScope}`;
  return toNumber(row.amount);
}
