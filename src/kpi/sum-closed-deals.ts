/**
 * Deals closed, renewed and churned with the funnel event's `occurredAt` in the period, whenever their MQL came;
 * what they brought, and how much of the won revenue came from leads marketing can attribute (a campaign or a
 * channel on the MQL). Read from KpiClosingFact: each closing event with its lead's filter columns, kept by triggers
 * (migration `kpi_lead_fact`), so a filtered period is one range of the (type, occurredAt) index, no lead looked up.
 */
import type { KpiFacts, KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { type KpiDb, type KpiWindow, leadScopeSql, toNumber } from "./kpi-query-scope.ts";

export type ClosedDeals = Pick<
  KpiFacts,
  "won" | "lost" | "wonRevenue" | "marketingSourcedRevenue" | "renewed" | "churned" | "renewedRevenue"
>;

export async function sumClosedDeals(db: KpiDb, window: KpiWindow, scope: KpiScope): Promise<ClosedDeals> {
  // The facts carry the lead's filter columns under the lead's own names: the lead's scope conditions apply as they are.
  const rows = await db.$queryRaw<{ type: string; count: number; amount: string; attributed: string }[]>`
    SELECT l.type::text AS type, count(*)::int AS count,
      COALESCE(sum(l.amount), 0)::text AS amount,
      COALESCE(sum(l.amount) FILTER (WHERE l.type = 'won' AND l.attributed), 0)::text AS attributed
    FROM "KpiClosingFact" l
    WHERE l.type IN ('won', 'lost', 'renewed', 'churned')
      AND l."occurredAt" >= ${window.start} AND l."occurredAt" < ${window.end}
      ${leadScopeSql(scope)}
    GROUP BY l.type`;
  const of = (type: string) => rows.find((row) => row.type === type);
  return {
    won: of("won")?.count ?? 0,
    lost: of("lost")?.count ?? 0,
    wonRevenue: toNumber(of("won")?.amount),
    marketingSourcedRevenue: toNumber(of("won")?.attributed),
    renewed: of("renewed")?.count ?? 0,
    churned: of("churned")?.count ?? 0,
    renewedRevenue: toNumber(of("renewed")?.amount),
  };
}
