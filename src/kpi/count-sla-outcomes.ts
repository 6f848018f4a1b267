/**
 * The period's MQLs whose accept / first-touch SLA was met or breached, read from the clocks' recorded status (the
 * SLA clock module is its only writer; nothing is recomputed here). A lead with several clocks of a kind (a
 * re-route starts a new accept clock) counts once: breached if any clock breached, else met if one was met.
 */
import type { KpiFacts, KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { type KpiDb, type KpiWindow, periodMqlsSql } from "./kpi-query-scope.ts";

export async function countSlaOutcomes(
  db: KpiDb,
  window: KpiWindow,
  scope: KpiScope,
): Promise<Pick<KpiFacts, "acceptSla" | "firstTouchSla">> {
  const rows = await db.$queryRaw<{ kind: "accept" | "first_touch"; met: number; breached: number }[]>`
    WITH per_lead AS (
      SELECT c.kind::text AS kind,
        bool_or(c.status = 'breached') AS breached,
        bool_or(c.status = 'met') AS met
      FROM "Lead" l JOIN "SlaClock" c ON c."leadId" = l.id
      WHERE ${periodMqlsSql(window, scope)}
        -- Always true (a clock starts after its lead arrives); lets the planner use the (kind, startedAt) index.
        AND c.kind IN ('accept', 'first_touch') AND c."startedAt" >= ${window.start}
      GROUP BY c."leadId", c.kind
    )
    SELECT kind,
      count(*) FILTER (WHERE met AND NOT breached)::int AS met,
      count(*) FILTER (WHERE breached)::int AS breached
    FROM per_lead
    GROUP BY kind`;
  const of = (kind: string) => {
    const row = rows.find((candidate) => candidate.kind === kind);
    return { met: row?.met ?? 0, breached: row?.breached ?? 0 };
  };
  return { acceptSla: of("accept"), firstTouchSla: of("first_touch") };
}
