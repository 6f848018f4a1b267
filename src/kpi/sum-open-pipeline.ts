/** The open pipeline at the period's end: deals opened before it and not closed by then, at their current amount. */
import type { KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { type KpiDb, type KpiWindow, leadScopeSql, toNumber } from "./kpi-query-scope.ts";

export async function sumOpenPipeline(db: KpiDb, window: KpiWindow, scope: KpiScope): Promise<number> {
  const scoped = leadScopeSql(scope);
  // Unfiltered, no lead is read at all; filtered, each deal's lead is looked up by its key.
  const inScope =
    scoped === Prisma.empty
      ? Prisma.empty
      : Prisma.sql`AND EXISTS (SELECT 1 FROM "Lead" l WHERE l.id = d."leadId" ${scoped})`;
  const [row] = await db.$queryRaw<{ amount: string }[]>`
    SELECT COALESCE(sum(d.amount), 0)::text AS amount
    FROM "Deal" d
    WHERE d."openedAt" < ${window.end} AND (d."closedAt" IS NULL OR d."closedAt" >= ${window.end})
      ${inScope}`;
  return toNumber(row.amount);
}
