/** Every rejection of the period's MQLs, by reason: a lead rejected by two teams counts twice. */
import type { KpiScope, RejectReasonCounts } from "../domain/kpi/kpi-definitions.ts";
import { type KpiDb, type KpiWindow, periodMqlsSql } from "./kpi-query-scope.ts";

export async function countRejectReasons(db: KpiDb, window: KpiWindow, scope: KpiScope): Promise<RejectReasonCounts> {
  const rows = await db.$queryRaw<{ reason: string; count: number }[]>`
    SELECT COALESCE(o."rejectReason"::text, 'other') AS reason, count(*)::int AS count
    FROM "Lead" l JOIN "Offer" o ON o."leadId" = l.id
    WHERE ${periodMqlsSql(window, scope)} AND o.status = 'rejected'
      -- Always true (a card is decided after its lead arrives); lets the planner use the (status, decidedAt) index.
      AND o."decidedAt" >= ${window.start}
    GROUP BY 1
    ORDER BY 2 DESC, 1`;
  return Object.fromEntries(rows.map((row) => [row.reason, row.count]));
}
