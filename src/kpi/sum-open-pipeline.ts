/**
 * The open pipeline at the period's end: deals opened before it and not closed by then, at their current amount.
 * Read from KpiDealFact: each deal with its lead's filter columns, kept by triggers (migration `kpi_lead_fact`).
 */
import type { KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { type KpiDb, type KpiWindow, leadScopeSql, toNumber } from "./kpi-query-scope.ts";

export async function sumOpenPipeline(db: KpiDb, window: KpiWindow, scope: KpiScope): Promise<number> {
  const scoped = leadScopeSql(scope);
  // "Not closed by the end" in two halves, each a range of the (closedAt, openedAt) index: still open, and closed
  // after the period.
  const [row] = await db.$queryRaw<{ amount: string }[]>`
    SELECT COALESCE(sum(amount), 0)::text AS amount
    FROM (
      SELECT l.amount FROM "KpiDealFact" l
      WHERE l."closedAt" IS NULL AND l."openedAt" < ${window.end} ${scoped}
      UNION ALL
      SELECT l.amount FROM "KpiDealFact" l
      WHERE l."closedAt" >= ${window.end} AND l."openedAt" < ${window.end} ${scoped}
    ) open_at_end`;
  return toNumber(row.amount);
}
