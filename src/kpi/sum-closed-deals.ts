/**
 * Deals closed, renewed and churned with the funnel event's `occurredAt` in the period, whenever their MQL came;
 * what they brought, and how much of the won revenue came from leads marketing can attribute (a campaign or a
 * channel on the MQL). Served by the (type, occurredAt) index; each event's lead is looked up by its key rather than
 * joined, so no lead outside the period is read.
 */
import type { KpiFacts, KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { type KpiDb, type KpiWindow, leadScopeSql, toNumber } from "./kpi-query-scope.ts";

export type ClosedDeals = Pick<
  KpiFacts,
  "won" | "lost" | "wonRevenue" | "marketingSourcedRevenue" | "renewed" | "churned" | "renewedRevenue"
>;

export async function sumClosedDeals(db: KpiDb, window: KpiWindow, scope: KpiScope): Promise<ClosedDeals> {
  const scoped = leadScopeSql(scope);
  const inScope =
    scoped === Prisma.empty
      ? Prisma.empty
      : Prisma.sql`AND EXISTS (SELECT 1 FROM "KpiLeadFact" l WHERE l."leadId" = e."leadId" ${scoped})`;
  const rows = await db.$queryRaw<{ type: string; count: number; amount: string; attributed: string }[]>`
    SELECT e.type::text AS type, count(*)::int AS count,
      COALESCE(sum(e.amount), 0)::text AS amount,
      COALESCE(sum(e.amount) FILTER (WHERE e.type = 'won' AND EXISTS (
        SELECT 1 FROM "KpiLeadFact" m WHERE m."leadId" = e."leadId" AND (m.campaign IS NOT NULL OR m.channel IS NOT NULL)
      )), 0)::text AS attributed
    FROM "FunnelEvent" e
    WHERE e.type IN ('won', 'lost', 'renewed', 'churned')
      AND e."occurredAt" >= ${window.start} AND e."occurredAt" < ${window.end}
      ${inScope}
    GROUP BY e.type`;
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
