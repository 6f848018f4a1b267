/**
 * Marketing spend for the weeks that start in the period (spend is imported per week). Only a campaign can be
 * costed: spend is not recorded per sales team, rep or lead source, so those scopes get null, as does a period with
 * no spend imported at all.
 */
import type { KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { type KpiDb, toNumber } from "./kpi-query-scope.ts";

export async function sumMarketingSpend(
  db: KpiDb,
  days: { from: string; to: string },
  scope: KpiScope,
): Promise<number | null> {
  if (scope.team || scope.rep || scope.source) return null;
  const campaign = scope.campaign ? Prisma.sql`AND campaign = ${scope.campaign}` : Prisma.empty;
  const [row] = await db.$queryRaw<{ rows: number; amount: string }[]>`
    SELECT count(*)::int AS rows, COALESCE(sum(amount), 0)::text AS amount
    FROM "MarketingSpend"
    WHERE "weekStart" >= ${days.from}::date AND "weekStart" <= ${days.to}::date ${campaign}`;
  return row.rows === 0 ? null : toNumber(row.amount);
}
