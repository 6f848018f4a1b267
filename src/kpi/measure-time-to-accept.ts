/**
 * Wall-clock minutes from a card's posting to its acceptance, over the period's accepted MQLs: median and 90th
 * percentile (continuous percentiles, as PostgreSQL's percentile_cont interpolates them).
 */
import type { KpiFacts, KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { type KpiDb, type KpiWindow, periodMqlsSql } from "./kpi-query-scope.ts";

export async function measureTimeToAccept(
  db: KpiDb,
  window: KpiWindow,
  scope: KpiScope,
): Promise<KpiFacts["minutesToAccept"]> {
  const [row] = await db.$queryRaw<{ median: number | null; p90: number | null }[]>`
    WITH waits AS (
      SELECT (EXTRACT(EPOCH FROM o."decidedAt" - o."postedAt") / 60)::float8 AS minutes
      FROM "Lead" l JOIN "Offer" o ON o."leadId" = l.id
      WHERE ${periodMqlsSql(window, scope)}
        -- decidedAt >= start is always true (a card is decided after its lead arrives): it lets the planner use the
        -- (status, decidedAt) index instead of reading every offer.
        AND o.status = 'accepted' AND o."postedAt" IS NOT NULL AND o."decidedAt" >= ${window.start}
    )
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) AS p90
    FROM waits`;
  return { median: row.median, p90: row.p90 };
}
