/**
 * The SQL both funnel queries share: which leads the agenda's weeks touch, and their passages through the four
 * stages, written as `passagesOf` (src/domain/agenda/funnel-stages.ts) defines them. Values are always bound
 * parameters; only fixed column names and stage numbers are spliced in.
 */
import { FUNNEL_STAGES, NO_REGION, type StageId } from "../domain/agenda/funnel-stages.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

/** Anything that runs raw queries: the client or a transaction. */
export type FunnelDb = Pick<PrismaClient, "$queryRaw">;

/**
 * What JavaScript's `String.prototype.trim` removes (WhiteSpace and LineTerminator), for `btrim`: PostgreSQL's
 * `trim` alone removes spaces only, and a region of "EMEA\u00a0" must be the same segment in both.
 */
const JS_WHITESPACE =
  "\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

/**
 * The leads, aliased `lead`, with a date on or after `since` (so every lead with a step in the weeks looked at),
 * not repeat MQLs, within the team when there is one. Columns: `id`, `segment` (the trimmed region, or
 * "no region"), `receivedAt`, `offeredAt` (the card, else the MQL), `acceptedAt`, `firstTouchAt`, `sqlAt`,
 * `rejectedAt` (only while the lead stays rejected), `droppedAt` (closed lost or recycled), `closedAt` (closed won
 * or lost) and `won`.
 *
 * `GREATEST(…) >= since` is "any of these dates is on or after since", written so that the expression index
 * `Lead_funnel_latest_step_idx` answers it: a range scan of the weeks' leads instead of a scan of every lead.
 */
export function funnelLeadsSql(input: { teamId: string | undefined; since: Date }): Prisma.Sql {
  return Prisma.sql`
    SELECT l.id, COALESCE(NULLIF(btrim(l.region, ${JS_WHITESPACE}), ''), ${NO_REGION}) AS segment, l."receivedAt",
      COALESCE(l."offeredAt", l."receivedAt") AS "offeredAt", l."acceptedAt", l."firstTouchAt", l."sqlAt",
      CASE WHEN l.status = 'rejected' THEN l."rejectedAt" END AS "rejectedAt",
      CASE WHEN l.status IN ('lost', 'recycled') THEN l."closedAt" END AS "droppedAt",
      CASE WHEN l.status IN ('won', 'lost') THEN l."closedAt" END AS "closedAt",
      l.status = 'won' AS won
    FROM "Lead" l
    WHERE l."duplicateOfId" IS NULL ${input.teamId ? Prisma.sql`AND l."teamId" = ${input.teamId}` : Prisma.empty}
      AND GREATEST(l."receivedAt", l."acceptedAt", l."rejectedAt", l."firstTouchAt", l."sqlAt", l."closedAt")
        >= ${input.since}`;
}

/**
 * Each stage's passage from the columns of {@link funnelLeadsSql}: when the lead entered it, when it left (went
 * on, or dropped out) and whether it went on. A lead still inside a stage has no `exited`: no passage.
 */
const PASSAGES: Record<StageId, { entered: string; exited: string; converted: string }> = {
  // Accepted, or rejected (and still rejected: a re-routed lead waits on its next team).
  mql_to_accept: {
    entered: `"offeredAt"`,
    exited: `COALESCE("acceptedAt", "rejectedAt")`,
    converted: `"acceptedAt" IS NOT NULL`,
  },
  // Touched, or closed lost / recycled before anyone did.
  accept_to_first_touch: {
    entered: `"acceptedAt"`,
    exited: `COALESCE("firstTouchAt", "droppedAt")`,
    converted: `"firstTouchAt" IS NOT NULL`,
  },
  touch_to_sql: {
    entered: `"firstTouchAt"`,
    exited: `COALESCE("sqlAt", "droppedAt")`,
    converted: `"sqlAt" IS NOT NULL`,
  },
  // Won or lost.
  sql_to_won: { entered: `"sqlAt"`, exited: `"closedAt"`, converted: "won" },
};

/**
 * The passages of the leads in the CTE `lead` through the given stages (all four by default), one row each:
 * `stage` (its index in FUNNEL_STAGES), `id` (the lead's), `segment`, `entered`, `exited`, `converted`.
 */
export function passagesSql(stages: readonly StageId[] = FUNNEL_STAGES.map((stage) => stage.id)): Prisma.Sql {
  return Prisma.join(
    stages.map((stage) => {
      const { entered, exited, converted } = PASSAGES[stage];
      const index = FUNNEL_STAGES.findIndex((s) => s.id === stage);
      return Prisma.sql`SELECT ${Prisma.raw(String(index))} AS stage, id, segment, ${Prisma.raw(entered)} AS entered,
        ${Prisma.raw(exited)} AS exited, ${Prisma.raw(converted)} AS converted
        FROM lead WHERE ${Prisma.raw(entered)} IS NOT NULL`;
    }),
    "\n      UNION ALL ",
  );
}
