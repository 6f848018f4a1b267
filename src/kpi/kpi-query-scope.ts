/**
 * The SQL every KPI query shares: which leads a scope (team, rep, source, campaign) covers, and "the period's
 * MQLs". Values are always bound parameters; only fixed column names are spliced in.
 */
import type { KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

/** Anything that runs raw queries: the client or a transaction. */
export type KpiDb = Pick<PrismaClient, "$queryRaw">;

/** Instants bounding a period: `start` included, `end` excluded. */
export interface KpiWindow {
  start: Date;
  end: Date;
}

/** `AND …` conditions on the lead aliased `l` for each filter of the scope (nothing for an empty scope). */
export function leadScopeSql(scope: KpiScope): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (scope.team) conditions.push(Prisma.sql`l."teamId" = ${scope.team}`);
  if (scope.rep) conditions.push(Prisma.sql`l."ownerRepId" = ${scope.rep}`);
  if (scope.source) conditions.push(Prisma.sql`l.source = ${scope.source}`);
  if (scope.campaign) conditions.push(Prisma.sql`l.campaign = ${scope.campaign}`);
  return conditions.length === 0 ? Prisma.empty : Prisma.sql`AND ${Prisma.join(conditions, " AND ")}`;
}

/**
 * The period's MQLs as conditions on the lead aliased `l`: received in the window, not a repeat MQL linked to an
 * open lead (`duplicateOfId`), within the scope. Served by the `receivedAt` indexes.
 */
export function periodMqlsSql(window: KpiWindow, scope: KpiScope): Prisma.Sql {
  return Prisma.sql`l."receivedAt" >= ${window.start} AND l."receivedAt" < ${window.end}
    AND l."duplicateOfId" IS NULL ${leadScopeSql(scope)}`;
}

/** Postgres `numeric` sums arrive as text (exact); money never needs more than a double's 15 digits here. */
export const toNumber = (value: string | number | null | undefined): number => (value == null ? 0 : Number(value));
