/** Wall-clock minutes from acceptance to first touch, over the period's MQLs touched so far: median and 90th percentile. */
import type { KpiFacts, KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { type KpiDb, type KpiWindow, periodMqlsSql } from "./kpi-query-scope.ts";

export async function measureTimeToFirstTouch(
  db: KpiDb,
  window: KpiWindow,
  scope: KpiScope,
): Promise<KpiFacts["minutesToFirstTouch"]> {
  const [row] = await db.$queryRaw<{ median: number | null; p90: number | null }[]>`
    WITH waits AS (
      SELECT (EXTRACT(EPOCH FROM l."firstTouchAt" - l."acceptedAt") / 60)::float8 AS minutes
      FROM "Lead" l
      WHERE ${periodMqlsSql(window, scope)} AND l."acceptedAt" IS NOT NULL AND l."firstTouchAt" IS NOT NULL
    )
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) AS p90
    FROM waits`;
  return { median: row.median, p90: row.p90 };
}
