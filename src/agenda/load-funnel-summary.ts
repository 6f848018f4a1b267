/**
 * The agenda's funnel summary (`FunnelSummary`: the chart's counts and every stage sample the slowdown tests
 * read) computed in the database, in one statement: a few dozen rows cross instead of every lead of the five weeks
 * (over a million leads, 127,000 of them). `summariseFunnel` in the domain is the reference it is tested against.
 *
 * The Mann–Whitney inputs come from the durations' distinct values: each value's count on either side, a running
 * total for the ranks below it (a run of equal values takes the average of the ranks it spans), and the tie term
 * Σ(t³ − t). Durations are ranked as intervals (exact milliseconds), and the medians are the two middle values of
 * each side, averaged here as `median` averages them: so the statistics are the reference's to the last bit.
 */
import type { Window } from "../domain/agenda/agenda-facts.ts";
import { FUNNEL_STAGES, type FunnelSummary, type StageSide, sortStageSamples } from "../domain/agenda/funnel-stages.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { type FunnelDb, funnelLeadsSql, passagesSql } from "./funnel-passages-sql.ts";

interface Row {
  reviewedMqls: number;
  reviewedAccepted: number;
  reviewedTouched: number;
  reviewedSqls: number;
  reviewedWon: number;
  baselineMqls: number;
  baselineAccepted: number;
  baselineTouched: number;
  baselineSqls: number;
  baselineWon: number;
  /** Null on the one row of a funnel with no passage in either window. */
  stage: number | null;
  /** Null for the whole funnel. */
  segment: string | null;
  currentPassages: number;
  currentConverted: number;
  baselinePassages: number;
  baselineConverted: number;
  rankSum: number | null;
  tieTerm: number | null;
  /** The middle converted durations (ms) of each side: the same value when the count is odd. */
  currentLowMs: number | null;
  currentHighMs: number | null;
  baselineLowMs: number | null;
  baselineHighMs: number | null;
}

const within = (column: string, window: Window) =>
  Prisma.sql`${Prisma.raw(column)} >= ${window.start} AND ${Prisma.raw(column)} < ${window.end}`;

export async function loadFunnelSummary(
  db: FunnelDb,
  input: { teamId: string | undefined; reviewed: Window; baseline: Window },
): Promise<FunnelSummary> {
  const { reviewed, baseline } = input;
  const since = new Date(Math.min(reviewed.start.getTime(), baseline.start.getTime()));
  const rows = await db.$queryRaw<Row[]>`
    WITH lead AS MATERIALIZED (${funnelLeadsSql({ teamId: input.teamId, since })}),
    counts AS (
      SELECT
        count(*) FILTER (WHERE ${within(`"receivedAt"`, reviewed)})::int AS "reviewedMqls",
        count(*) FILTER (WHERE ${within(`"acceptedAt"`, reviewed)})::int AS "reviewedAccepted",
        count(*) FILTER (WHERE ${within(`"firstTouchAt"`, reviewed)})::int AS "reviewedTouched",
        count(*) FILTER (WHERE ${within(`"sqlAt"`, reviewed)})::int AS "reviewedSqls",
        count(*) FILTER (WHERE won AND ${within(`"closedAt"`, reviewed)})::int AS "reviewedWon",
        count(*) FILTER (WHERE ${within(`"receivedAt"`, baseline)})::int AS "baselineMqls",
        count(*) FILTER (WHERE ${within(`"acceptedAt"`, baseline)})::int AS "baselineAccepted",
        count(*) FILTER (WHERE ${within(`"firstTouchAt"`, baseline)})::int AS "baselineTouched",
        count(*) FILTER (WHERE ${within(`"sqlAt"`, baseline)})::int AS "baselineSqls",
        count(*) FILTER (WHERE won AND ${within(`"closedAt"`, baseline)})::int AS "baselineWon"
      FROM lead
    ),
    passage AS (
      SELECT stage, segment, ${within("exited", reviewed)} AS current,
        CASE WHEN converted THEN exited - entered END AS took
      FROM (${passagesSql()}) p
      WHERE (${within("exited", reviewed)}) OR (${within("exited", baseline)})
    ),
    -- Per stage × segment and stage × whole funnel (segment NULL): passages per duration and side; the dropped
    -- ones (no duration) in one row per group.
    tally AS (
      SELECT stage, segment, took, count(*) FILTER (WHERE current) AS c1, count(*) FILTER (WHERE NOT current) AS c0
      FROM passage
      GROUP BY GROUPING SETS ((stage, segment, took), (stage, took))
    ),
    ranked AS (
      SELECT stage, segment, took, c1, c0,
        (sum(c1 + c0) OVER running - c1 - c0)::bigint AS below,
        (sum(c1) OVER running)::bigint AS cum1,
        (sum(c0) OVER running)::bigint AS cum0,
        (sum(c1) FILTER (WHERE took IS NOT NULL) OVER grp)::bigint AS tot1,
        (sum(c0) FILTER (WHERE took IS NOT NULL) OVER grp)::bigint AS tot0
      FROM tally
      -- NULL durations (the dropped passages) sort last: they shift no converted passage's rank.
      WINDOW grp AS (PARTITION BY stage, segment), running AS (grp ORDER BY took ROWS UNBOUNDED PRECEDING)
    ),
    sample AS (
      SELECT stage, segment,
        sum(c1)::int AS "currentPassages",
        COALESCE(sum(c1) FILTER (WHERE took IS NOT NULL), 0)::int AS "currentConverted",
        sum(c0)::int AS "baselinePassages",
        COALESCE(sum(c0) FILTER (WHERE took IS NOT NULL), 0)::int AS "baselineConverted",
        COALESCE(sum(c1 * (below + (c1 + c0 + 1) / 2.0)) FILTER (WHERE took IS NOT NULL), 0)::float8 AS "rankSum",
        COALESCE(sum((c1 + c0)::numeric * (c1 + c0) * (c1 + c0) - (c1 + c0)) FILTER (WHERE took IS NOT NULL), 0)::float8
          AS "tieTerm",
        (extract(epoch FROM min(took) FILTER (WHERE tot1 > 0 AND cum1 >= (tot1 + 1) / 2)) * 1000)::float8
          AS "currentLowMs",
        (extract(epoch FROM min(took) FILTER (WHERE tot1 > 0 AND cum1 >= tot1 / 2 + 1)) * 1000)::float8
          AS "currentHighMs",
        (extract(epoch FROM min(took) FILTER (WHERE tot0 > 0 AND cum0 >= (tot0 + 1) / 2)) * 1000)::float8
          AS "baselineLowMs",
        (extract(epoch FROM min(took) FILTER (WHERE tot0 > 0 AND cum0 >= tot0 / 2 + 1)) * 1000)::float8
          AS "baselineHighMs"
      FROM ranked
      GROUP BY stage, segment
    )
    SELECT * FROM counts LEFT JOIN sample ON true`;
  const [first] = rows;
  const side = (passages: number, converted: number, lowMs: number | null, highMs: number | null): StageSide => ({
    passages,
    converted,
    // As `median` takes the middle of an even count: the two middle minutes, averaged.
    medianMinutes: lowMs === null || highMs === null ? null : (lowMs / 60_000 + highMs / 60_000) / 2,
  });
  return {
    reviewed: {
      mqls: first.reviewedMqls,
      accepted: first.reviewedAccepted,
      touched: first.reviewedTouched,
      sqls: first.reviewedSqls,
      won: first.reviewedWon,
    },
    baseline: {
      mqls: first.baselineMqls,
      accepted: first.baselineAccepted,
      touched: first.baselineTouched,
      sqls: first.baselineSqls,
      won: first.baselineWon,
    },
    stages: sortStageSamples(
      rows
        .filter((row): row is Row & { stage: number } => row.stage !== null)
        .map((row) => ({
          stage: FUNNEL_STAGES[row.stage].id,
          segment: row.segment,
          current: side(row.currentPassages, row.currentConverted, row.currentLowMs, row.currentHighMs),
          baseline: side(row.baselinePassages, row.baselineConverted, row.baselineLowMs, row.baselineHighMs),
          rankSum: row.rankSum ?? 0,
          tieTerm: row.tieTerm ?? 0,
        })),
    ),
  };
}
