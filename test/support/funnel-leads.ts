/**
 * Funnels for the agenda's equivalence tests (fast-check): leads that go through the stages as leads do, some of
 * them slower or more often rejected in the reviewed week (so that findings come up), and leads whose dates are
 * anything at all (out of order, on the windows' bounds to the millisecond, missing), across regions written
 * several ways (padded, blank, a no-break space, none), teams, statuses and repeat MQLs.
 */
import fc from "fast-check";
import type { FunnelLead, Window } from "../../src/domain/agenda/agenda-facts.ts";
import { segmentOf } from "../../src/domain/agenda/funnel-stages.ts";
import { LEAD_STATUSES, type LeadStatus } from "../../src/domain/leads/lifecycle.ts";

export const REVIEWED: Window = { start: new Date("2026-11-16T00:00:00Z"), end: new Date("2026-11-23T00:00:00Z") };
export const BASELINE: Window = { start: new Date("2026-10-19T00:00:00Z"), end: REVIEWED.start };

const MINUTE = 60_000;
const DAY = 1_440;

/** A lead as stored: what `Lead` holds of it that the funnel reads. */
export interface FunnelLeadRow {
  id: string;
  region: string | null;
  teamId: "emea-sales" | "na-sales" | null;
  /** A repeat MQL linked to another lead of the funnel: never counted. */
  duplicate: boolean;
  status: LeadStatus;
  receivedAt: Date;
  offeredAt: Date | null;
  acceptedAt: Date | null;
  rejectedAt: Date | null;
  firstTouchAt: Date | null;
  sqlAt: Date | null;
  closedAt: Date | null;
}

const minutesFrom = (origin: Date, minutes: number) => new Date(origin.getTime() + minutes * MINUTE);

/** The windows' bounds and a millisecond either side, or a whole minute from a week before to a week after. */
const instant = fc.oneof(
  fc.constantFrom(
    ...[BASELINE.start, REVIEWED.start, REVIEWED.end].flatMap((bound) =>
      [-1, 0, 1].map((ms) => new Date(bound.getTime() + ms)),
    ),
  ),
  fc.integer({ min: -7 * DAY, max: 42 * DAY }).map((minutes) => minutesFrom(BASELINE.start, minutes)),
);

const region = fc.constantFrom("EMEA", "EMEA", "NA", "NA", " EMEA ", "EMEA\u00a0", "APAC", "", "  ", "no region", null);
const team = fc.constantFrom("emea-sales" as const, "na-sales" as const, null);

/** Anything at all: each date present or not, in any order. */
const chaoticLead = fc.record({
  region,
  teamId: team,
  status: fc.constantFrom(...LEAD_STATUSES),
  receivedAt: instant,
  offeredAt: fc.option(instant),
  acceptedAt: fc.option(instant),
  rejectedAt: fc.option(instant),
  firstTouchAt: fc.option(instant),
  sqlAt: fc.option(instant),
  closedAt: fc.option(instant),
});

/**
 * A lead through the funnel, received `received` minutes after the baseline starts, each step a whole number of
 * minutes after the one before (ties are common), `slower` times slower.
 */
const OUTCOMES = [
  "offered",
  "rejected",
  "accepted",
  "contacted",
  "contacted",
  "sql",
  "opportunity",
  "won",
  "lost",
  "lost-untouched",
  "recycled",
] as const;

const orderlyLead = (received: fc.Arbitrary<number>, slower: number, outcomes: readonly (typeof OUTCOMES)[number][]) =>
  fc
    .record({
      received,
      region: fc.constantFrom("EMEA", "EMEA", "EMEA", "NA", "NA", " EMEA ", null),
      teamId: team,
      offerDelay: fc.option(fc.integer({ min: 0, max: 30 })),
      decideAfter: fc.integer({ min: 1, max: 240 }),
      touchAfter: fc.integer({ min: 1, max: 600 }),
      sqlAfter: fc.integer({ min: 60, max: 5 * DAY }),
      closeAfter: fc.integer({ min: DAY, max: 20 * DAY }),
      outcome: fc.constantFrom(...outcomes),
    })
    .map((spec) => {
      const receivedAt = minutesFrom(BASELINE.start, spec.received);
      const offeredAt = spec.offerDelay === null ? null : minutesFrom(receivedAt, spec.offerDelay);
      const decidedAt = minutesFrom(offeredAt ?? receivedAt, spec.decideAfter * slower);
      const lead = {
        region: spec.region,
        teamId: spec.teamId,
        receivedAt,
        offeredAt,
        acceptedAt: null as Date | null,
        rejectedAt: null as Date | null,
        firstTouchAt: null as Date | null,
        sqlAt: null as Date | null,
        closedAt: null as Date | null,
      };
      const o = spec.outcome;
      if (o === "offered") return { ...lead, status: "offered" as const };
      if (o === "rejected") return { ...lead, status: "rejected" as const, rejectedAt: decidedAt };
      lead.acceptedAt = decidedAt;
      if (o === "accepted") return { ...lead, status: "accepted" as const };
      if (o === "lost-untouched") return { ...lead, status: "lost" as const, closedAt: minutesFrom(decidedAt, DAY) };
      lead.firstTouchAt = minutesFrom(decidedAt, spec.touchAfter * slower);
      if (o === "contacted") return { ...lead, status: "contacted" as const };
      if (o === "recycled") {
        return { ...lead, status: "recycled" as const, closedAt: minutesFrom(lead.firstTouchAt, spec.closeAfter) };
      }
      lead.sqlAt = minutesFrom(lead.firstTouchAt, spec.sqlAfter * slower);
      if (o === "sql" || o === "opportunity") return { ...lead, status: o };
      return { ...lead, status: o, closedAt: minutesFrom(lead.sqlAt, spec.closeAfter * slower) };
    });

/**
 * A funnel: orderly leads over the five weeks and around them, more in the reviewed week (slower by a random
 * factor, or rejected more often), and a few chaotic ones; every tenth lead a repeat MQL. Ids are UUIDs, in no
 * particular order.
 */
export const funnelLeadRows = (options: { maxLeads: number }) =>
  fc
    .record({
      usual: fc.array(orderlyLead(fc.integer({ min: -10 * DAY, max: 40 * DAY }), 1, OUTCOMES), {
        maxLength: options.maxLeads,
        size: "max",
      }),
      reviewedWeek: fc
        .record({ slower: fc.integer({ min: 1, max: 4 }), rejects: fc.nat(8) })
        .chain(({ slower, rejects }) =>
          fc.array(
            orderlyLead(fc.integer({ min: 28 * DAY, max: 35 * DAY }), slower, [
              ...OUTCOMES,
              ...Array.from({ length: rejects }, () => "rejected" as const),
            ]),
            { maxLength: Math.ceil(options.maxLeads / 3), size: "max" },
          ),
        ),
      chaotic: fc.array(chaoticLead, { maxLength: Math.ceil(options.maxLeads / 10), size: "max" }),
      ids: fc.array(fc.uuid({ version: 4 }), { minLength: options.maxLeads * 2, maxLength: options.maxLeads * 2 }),
    })
    .map(({ usual, reviewedWeek, chaotic, ids }): FunnelLeadRow[] =>
      [...usual, ...reviewedWeek, ...chaotic].map((lead, index) => ({
        ...lead,
        id: ids[index] ?? `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
        duplicate: index % 10 === 9,
      })),
    )
    .filter((rows) => new Set(rows.map((row) => row.id)).size === rows.length);

/** The leads the agenda reads (no repeat MQLs, the team's when there is one), as the domain takes them. */
export function funnelLeadsOf(rows: FunnelLeadRow[], teamId?: string): FunnelLead[] {
  return rows
    .filter((row) => !row.duplicate && (teamId === undefined || row.teamId === teamId))
    .map((row) => ({
      leadId: row.id,
      segment: segmentOf(row.region),
      receivedAt: row.receivedAt,
      offeredAt: row.offeredAt,
      acceptedAt: row.acceptedAt,
      rejectedAt: row.rejectedAt,
      firstTouchAt: row.firstTouchAt,
      sqlAt: row.sqlAt,
      closedAt: row.closedAt,
      status: row.status,
    }));
}
