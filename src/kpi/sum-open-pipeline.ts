/** The open pipeline at the period's end: deals opened before it and not closed by then, at their current amount. */
import type { KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { type KpiDb, type KpiWindow, leadScopeSql, toNumber } from "./kpi-query-scope.ts";

export async function sumOpenPipeline(db: KpiDb, window: KpiWindow, scope: KpiScope): Promise<number> {
  const [row] = await db.$queryRaw<{ amount: string }[]>`
    SELECT COALESCE(sum(d.amount), 0)::text AS amount
    FROM "Deal" d JOIN "Lead" l ON l.id = d."leadId"
    WHERE d."openedAt" < ${window.end} AND (d."closedAt" IS NULL OR d."closedAt" >= ${window.end})
      ${leadScopeSql(scope)}`;
  return toNumber(row.amount);
}
