/**
 * Everything the KPIs say about the period's MQLs, in one pass over their KpiLeadFact rows (one range scan of the
 * `receivedAt` index, no join, no CTE): how many, what became of them (accepted, rejected, SQL,
 * won), every rejection by reason (a lead rejected by two teams counts twice), their accept and first-touch SLA
 * outcomes (a lead with several clocks of a kind counts once: breached if any breached, else met if one was met),
 * and the wall-clock minutes from card to accept and from accept to first touch (median and 90th percentile,
 * continuous, as PostgreSQL's percentile_cont interpolates them).
 *
 * How each lead's facts are decided from its lead, offers and clocks is the view "KpiLeadFactSource" in the
 * migration `kpi_lead_fact`; triggers keep the table equal to it in the same transaction as every write.
 */
import type { KpiFacts, KpiScope } from "../domain/kpi/kpi-definitions.ts";
import { REJECT_REASONS } from "../domain/lead-card.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { type KpiDb, type KpiWindow, periodMqlsSql } from "./kpi-query-scope.ts";

export type PeriodMqlFacts = Pick<
  KpiFacts,
  | "mqls"
  | "accepted"
  | "rejected"
  | "sqls"
  | "sqlsWon"
  | "rejectReasons"
  | "minutesToAccept"
  | "minutesToFirstTouch"
  | "acceptSla"
  | "firstTouchSla"
>;

interface Row {
  mqls: number;
  accepted: number;
  rejected: number;
  sqls: number;
  sqlsWon: number;
  acceptMet: number;
  acceptBreached: number;
  firstTouchMet: number;
  firstTouchBreached: number;
  firstTouchMedian: number | null;
  firstTouchP90: number | null;
  acceptMedian: number | null;
  acceptP90: number | null;
  /** Leads with more than one accepted offer: then the accept percentiles need every value, not each lead's one. */
  severalAccepts: number;
  /** Rejections per reason code, in REJECT_REASONS' order. */
  rejections: number[];
}

/**
 * Rejections per reason: the column is the RejectReason enum (a missing reason counts as `other`), so every code is
 * one of REJECT_REASONS and each is counted where it occurs, however many times per lead.
 */
const REJECTIONS_BY_REASON = Prisma.sql`ARRAY[${Prisma.join(
  REJECT_REASONS.map(
    ({ code }) =>
      Prisma.sql`COALESCE(sum(cardinality(array_positions(l."rejectReasons", ${code}::text)))
        FILTER (WHERE cardinality(l."rejectReasons") > 0), 0)::int`,
  ),
)}]`;

export async function summarizePeriodMqls(db: KpiDb, window: KpiWindow, scope: KpiScope): Promise<PeriodMqlFacts> {
  const [row] = await db.$queryRaw<Row[]>`
    SELECT
      count(*)::int AS mqls,
      count(*) FILTER (WHERE l.accepted)::int AS accepted,
      count(*) FILTER (WHERE l.rejected)::int AS rejected,
      count(*) FILTER (WHERE l."reachedSql")::int AS sqls,
      count(*) FILTER (WHERE l."reachedSql" AND l.won)::int AS "sqlsWon",
      count(*) FILTER (WHERE l."acceptSla" = 'met')::int AS "acceptMet",
      count(*) FILTER (WHERE l."acceptSla" = 'breached')::int AS "acceptBreached",
      count(*) FILTER (WHERE l."firstTouchSla" = 'met')::int AS "firstTouchMet",
      count(*) FILTER (WHERE l."firstTouchSla" = 'breached')::int AS "firstTouchBreached",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY l."minutesToFirstTouch") AS "firstTouchMedian",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY l."minutesToFirstTouch") AS "firstTouchP90",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY l."minutesToAccept"[1])
        FILTER (WHERE cardinality(l."minutesToAccept") = 1) AS "acceptMedian",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY l."minutesToAccept"[1])
        FILTER (WHERE cardinality(l."minutesToAccept") = 1) AS "acceptP90",
      count(*) FILTER (WHERE cardinality(l."minutesToAccept") > 1)::int AS "severalAccepts",
      ${REJECTIONS_BY_REASON} AS rejections
    FROM "KpiLeadFact" l
    WHERE ${periodMqlsSql(window, scope)}`;
  const rejectReasons = REJECT_REASONS.map(({ code }, index) => [code, row.rejections[index]] as const)
    .filter(([, count]) => count > 0)
    // Most frequent first, then by code: the order the scorecard lists them in.
    .sort(([codeA, countA], [codeB, countB]) => countB - countA || (codeA < codeB ? -1 : codeA > codeB ? 1 : 0));
  const minutesToAccept =
    row.severalAccepts === 0
      ? { median: row.acceptMedian, p90: row.acceptP90 }
      : await measureEveryAccept(db, window, scope);
  return {
    mqls: row.mqls,
    accepted: row.accepted,
    rejected: row.rejected,
    sqls: row.sqls,
    sqlsWon: row.sqlsWon,
    rejectReasons: Object.fromEntries(rejectReasons),
    minutesToAccept,
    minutesToFirstTouch: { median: row.firstTouchMedian, p90: row.firstTouchP90 },
    acceptSla: { met: row.acceptMet, breached: row.acceptBreached },
    firstTouchSla: { met: row.firstTouchMet, breached: row.firstTouchBreached },
  };
}

/** The accept percentiles over every accepted offer, for the (unusual) period where a lead has several. */
async function measureEveryAccept(db: KpiDb, window: KpiWindow, scope: KpiScope) {
  const [row] = await db.$queryRaw<{ median: number | null; p90: number | null }[]>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY minutes) AS p90
    FROM (
      SELECT unnest(l."minutesToAccept") AS minutes
      FROM "KpiLeadFact" l
      WHERE ${periodMqlsSql(window, scope)} AND cardinality(l."minutesToAccept") > 0
    ) accepts`;
  return { median: row.median, p90: row.p90 };
}
