/** Counts the period's MQLs and what became of them: accepted, rejected, SQL, won. One pass over the period's leads. */
import type { KpiFacts, KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { type KpiDb, type KpiWindow, periodMqlsSql } from "./kpi-query-scope.ts";

export type MqlOutcomes = Pick<KpiFacts, "mqls" | "accepted" | "rejected" | "sqls" | "sqlsWon">;

export async function countMqlOutcomes(db: KpiDb, window: KpiWindow, scope: KpiScope): Promise<MqlOutcomes> {
  // accepted: acceptedAt survives to the end (a re-route clears it only before the next team decides).
  // rejected: rejected, never accepted since, and not waiting on the team it was re-routed to.
  // sql: an SQL step, or a deal's status (a CRM may jump straight to opportunity / won / lost).
  const [row] = await db.$queryRaw<MqlOutcomes[]>`
    WITH period AS (
      SELECT l.status, l."acceptedAt", l."rejectedAt",
        (l."sqlAt" IS NOT NULL OR l.status IN ('sql', 'opportunity', 'won', 'lost')) AS reached_sql
      FROM "Lead" l
      WHERE ${periodMqlsSql(window, scope)}
    )
    SELECT
      count(*)::int AS mqls,
      count(*) FILTER (WHERE "acceptedAt" IS NOT NULL)::int AS accepted,
      count(*) FILTER (
        WHERE "rejectedAt" IS NOT NULL AND "acceptedAt" IS NULL AND status NOT IN ('new', 'offered')
      )::int AS rejected,
      count(*) FILTER (WHERE reached_sql)::int AS sqls,
      count(*) FILTER (WHERE reached_sql AND status = 'won')::int AS "sqlsWon"
    FROM period`;
  return row;
}
