/**
 * A small, hand-checkable funnel for the KPI tests, written straight to the tables the handoff and the CRM webhook
 * write. The week under test is 2026-11-16..22 (Europe/London = UTC in November); the week before, 9..15.
 *
 *   lead   received     team (decisions)                        after
 *   L0     Nov 10       emea: accepted in 20 min                sql Nov 12, deal Nov 13, WON Nov 18 (50,000)
 *   L12    Nov 11       na: accepted in 10 min                  opportunity Nov 12 (8,000), still open
 *   L1     Nov 16 09:00 emea: accepted in 10 min (Q4 webinar)   touch +60, sql, opp Nov 18, WON Nov 20 (24,000)
 *   L2     Nov 16 10:00 emea REJECTS (wrong_territory) → na accepts in 40 min (re-routed)   touch +30
 *   L8     Nov 16 14:00 na: accepted in 5 min                   touch +30 (SLA breached), sql, opp, LOST Nov 21
 *   L3     Nov 17 09:00 inside: accepted in 120 min (LATE: accept SLA breached)
 *   L4     Nov 18 12:00 emea REJECTS (not_a_fit)
 *   L5     Nov 19       repeat MQL of L2 (duplicateOfId): not counted
 *   L11    Nov 19 09:00 emea: accepted in 30 min                touch +60, opportunity Nov 20 (15,000) open
 *   L6     Nov 20       emea: offered, still pending
 *   L7     Nov 21       emea REJECTS (duplicate) → re-routed to na, pending there
 *   L13    Nov 24       after the week; its deal (opened Nov 24) is not in the week's pipeline
 *   L9/L10 October      customers: L9 RENEWED Nov 19 (30,000), L10 CHURNED Nov 20
 * Spend: week of Nov 9 1,000; week of Nov 16 1,200 (paid-search, Q4 webinar) + 800 (events); week of Nov 23 5,000.
 */
import { Prisma, type PrismaClient } from "../../src/generated/prisma/client.ts";

type LeadStatus = "new" | "offered" | "accepted" | "rejected" | "contacted" | "sql" | "opportunity" | "won" | "lost";
type Team = "emea-sales" | "na-sales" | "inside-sales";

const at = (iso: string) => new Date(iso);
const plus = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

interface LeadSpec {
  key: string;
  receivedAt: string;
  team: Team;
  status: LeadStatus;
  campaign?: string;
  channel?: string;
  duplicateOf?: string;
  /** Offers in order: who decided, and minutes from posting to the decision. */
  offers?: { team: Team; postedAt: string; decision?: { by: string; afterMinutes: number; reject?: string } }[];
  acceptClocks?: ("met" | "breached" | "cancelled" | "running")[];
  firstTouchMinutes?: number;
  firstTouchClock?: "met" | "breached" | "running";
  sqlAt?: string;
  events?: { type: "sql" | "opportunity" | "won" | "lost" | "renewed" | "churned"; at: string; amount?: number }[];
  deal?: { openedAt: string; amount: number; outcome: "open" | "won" | "lost"; closedAt?: string };
}

const SPECS: LeadSpec[] = [
  {
    key: "L0",
    receivedAt: "2026-11-10T10:00:00Z",
    team: "emea-sales",
    status: "won",
    offers: [{ team: "emea-sales", postedAt: "2026-11-10T10:00:00Z", decision: { by: "ada", afterMinutes: 20 } }],
    acceptClocks: ["met"],
    firstTouchMinutes: 40,
    firstTouchClock: "met",
    sqlAt: "2026-11-12T10:00:00Z",
    events: [
      { type: "sql", at: "2026-11-12T10:00:00Z" },
      { type: "opportunity", at: "2026-11-13T10:00:00Z", amount: 45000 },
      { type: "won", at: "2026-11-18T15:00:00Z", amount: 50000 },
    ],
    deal: { openedAt: "2026-11-13T10:00:00Z", amount: 50000, outcome: "won", closedAt: "2026-11-18T15:00:00Z" },
  },
  {
    key: "L12",
    receivedAt: "2026-11-11T09:00:00Z",
    team: "na-sales",
    status: "opportunity",
    offers: [{ team: "na-sales", postedAt: "2026-11-11T09:00:00Z", decision: { by: "grace", afterMinutes: 10 } }],
    acceptClocks: ["met"],
    firstTouchClock: "breached",
    events: [{ type: "opportunity", at: "2026-11-12T16:00:00Z", amount: 8000 }],
    deal: { openedAt: "2026-11-12T16:00:00Z", amount: 8000, outcome: "open" },
  },
  {
    key: "L1",
    receivedAt: "2026-11-16T09:00:00Z",
    team: "emea-sales",
    status: "won",
    campaign: "Q4 webinar",
    channel: "paid-search",
    offers: [{ team: "emea-sales", postedAt: "2026-11-16T09:05:00Z", decision: { by: "ada", afterMinutes: 10 } }],
    acceptClocks: ["met"],
    firstTouchMinutes: 60,
    firstTouchClock: "met",
    sqlAt: "2026-11-17T10:00:00Z",
    events: [
      { type: "sql", at: "2026-11-17T10:00:00Z" },
      { type: "opportunity", at: "2026-11-18T10:00:00Z", amount: 20000 },
      { type: "won", at: "2026-11-20T10:00:00Z", amount: 24000 },
    ],
    deal: { openedAt: "2026-11-18T10:00:00Z", amount: 24000, outcome: "won", closedAt: "2026-11-20T10:00:00Z" },
  },
  {
    key: "L2",
    receivedAt: "2026-11-16T10:00:00Z",
    team: "na-sales",
    status: "contacted",
    offers: [
      {
        team: "emea-sales",
        postedAt: "2026-11-16T10:01:00Z",
        decision: { by: "charles", afterMinutes: 19, reject: "wrong_territory" },
      },
      { team: "na-sales", postedAt: "2026-11-16T10:21:00Z", decision: { by: "grace", afterMinutes: 40 } },
    ],
    acceptClocks: ["cancelled", "met"],
    firstTouchMinutes: 30,
    firstTouchClock: "met",
  },
  {
    key: "L8",
    receivedAt: "2026-11-16T14:00:00Z",
    team: "na-sales",
    status: "lost",
    offers: [{ team: "na-sales", postedAt: "2026-11-16T14:00:00Z", decision: { by: "grace", afterMinutes: 5 } }],
    acceptClocks: ["met"],
    firstTouchMinutes: 30,
    firstTouchClock: "breached",
    sqlAt: "2026-11-19T09:00:00Z",
    events: [
      { type: "sql", at: "2026-11-19T09:00:00Z" },
      { type: "opportunity", at: "2026-11-19T10:00:00Z", amount: 10000 },
      { type: "lost", at: "2026-11-21T10:00:00Z" },
    ],
    deal: { openedAt: "2026-11-19T10:00:00Z", amount: 10000, outcome: "lost", closedAt: "2026-11-21T10:00:00Z" },
  },
  {
    key: "L3",
    receivedAt: "2026-11-17T09:00:00Z",
    team: "inside-sales",
    status: "accepted",
    offers: [
      { team: "inside-sales", postedAt: "2026-11-17T09:00:00Z", decision: { by: "katherine", afterMinutes: 120 } },
    ],
    acceptClocks: ["breached"],
    firstTouchClock: "running",
  },
  {
    key: "L4",
    receivedAt: "2026-11-18T12:00:00Z",
    team: "emea-sales",
    status: "rejected",
    offers: [
      {
        team: "emea-sales",
        postedAt: "2026-11-18T12:00:00Z",
        decision: { by: "ada", afterMinutes: 30, reject: "not_a_fit" },
      },
    ],
    acceptClocks: ["cancelled"],
  },
  { key: "L5", receivedAt: "2026-11-19T08:00:00Z", team: "na-sales", status: "new", duplicateOf: "L2" },
  {
    key: "L11",
    receivedAt: "2026-11-19T09:00:00Z",
    team: "emea-sales",
    status: "opportunity",
    offers: [{ team: "emea-sales", postedAt: "2026-11-19T09:00:00Z", decision: { by: "charles", afterMinutes: 30 } }],
    acceptClocks: ["met"],
    firstTouchMinutes: 60,
    firstTouchClock: "met",
    events: [{ type: "opportunity", at: "2026-11-20T12:00:00Z", amount: 15000 }],
    deal: { openedAt: "2026-11-20T12:00:00Z", amount: 15000, outcome: "open" },
  },
  {
    key: "L6",
    receivedAt: "2026-11-20T09:00:00Z",
    team: "emea-sales",
    status: "offered",
    offers: [{ team: "emea-sales", postedAt: "2026-11-20T09:00:00Z" }],
    acceptClocks: ["running"],
  },
  {
    key: "L7",
    receivedAt: "2026-11-21T09:00:00Z",
    team: "na-sales",
    status: "offered",
    offers: [
      {
        team: "emea-sales",
        postedAt: "2026-11-21T09:00:00Z",
        decision: { by: "ada", afterMinutes: 15, reject: "duplicate" },
      },
      { team: "na-sales", postedAt: "2026-11-21T09:16:00Z" },
    ],
    acceptClocks: ["cancelled", "running"],
  },
  {
    key: "L13",
    receivedAt: "2026-11-24T09:00:00Z",
    team: "emea-sales",
    status: "opportunity",
    campaign: "Q4 webinar",
    offers: [{ team: "emea-sales", postedAt: "2026-11-24T09:00:00Z", decision: { by: "ada", afterMinutes: 1 } }],
    acceptClocks: ["met"],
    events: [{ type: "opportunity", at: "2026-11-24T12:00:00Z", amount: 99999 }],
    deal: { openedAt: "2026-11-24T12:00:00Z", amount: 99999, outcome: "open" },
  },
  {
    key: "L9",
    receivedAt: "2026-10-05T09:00:00Z",
    team: "emea-sales",
    status: "won",
    channel: "events",
    events: [
      { type: "won", at: "2026-10-10T09:00:00Z", amount: 30000 },
      { type: "renewed", at: "2026-11-19T09:00:00Z", amount: 30000 },
    ],
    deal: { openedAt: "2026-10-10T09:00:00Z", amount: 30000, outcome: "won", closedAt: "2026-10-10T09:00:00Z" },
  },
  {
    key: "L10",
    receivedAt: "2026-10-06T09:00:00Z",
    team: "emea-sales",
    status: "won",
    events: [
      { type: "won", at: "2026-10-12T09:00:00Z", amount: 12000 },
      { type: "churned", at: "2026-11-20T09:00:00Z" },
    ],
    deal: { openedAt: "2026-10-12T09:00:00Z", amount: 12000, outcome: "won", closedAt: "2026-10-12T09:00:00Z" },
  },
];

const REP_TEAM: Record<string, Team> = {
  ada: "emea-sales",
  charles: "emea-sales",
  grace: "na-sales",
  katherine: "inside-sales",
};

/** Writes the funnel above; returns the lead ids by key. Teams and reps must already be synced from the example. */
export async function seedKpiFunnel(prisma: PrismaClient): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const spec of SPECS) {
    const receivedAt = at(spec.receivedAt);
    const accepted = spec.offers?.find((offer) => offer.decision && !offer.decision.reject);
    const acceptedAt = accepted?.decision ? plus(at(accepted.postedAt), accepted.decision.afterMinutes) : null;
    const rejected = spec.offers?.find((offer) => offer.decision?.reject);
    const rejectedAt = rejected?.decision ? plus(at(rejected.postedAt), rejected.decision.afterMinutes) : null;
    const closing = spec.events?.find((event) => event.type === "won" || event.type === "lost");
    const lead = await prisma.lead.create({
      data: {
        source: "hubspot",
        externalId: spec.key,
        email: `${spec.key.toLowerCase()}@example.com`,
        rawPayload: {},
        status: spec.status,
        teamId: spec.team,
        ownerRepId: accepted?.decision?.by ?? null,
        campaign: spec.campaign ?? null,
        channel: spec.channel ?? null,
        duplicateOfId: spec.duplicateOf ? ids[spec.duplicateOf] : null,
        receivedAt,
        offeredAt: spec.offers ? at(spec.offers[0].postedAt) : null,
        acceptedAt,
        rejectedAt,
        firstTouchAt:
          acceptedAt && spec.firstTouchMinutes !== undefined ? plus(acceptedAt, spec.firstTouchMinutes) : null,
        sqlAt: spec.sqlAt ? at(spec.sqlAt) : null,
        closedAt: closing ? at(closing.at) : null,
      },
    });
    ids[spec.key] = lead.id;
    for (const offer of spec.offers ?? []) {
      const decision = offer.decision;
      await prisma.offer.create({
        data: {
          leadId: lead.id,
          teamId: offer.team,
          conversation: `console:${offer.team}`,
          messageRef: "1",
          postedAt: at(offer.postedAt),
          status: decision ? (decision.reject ? "rejected" : "accepted") : "pending",
          decidedAt: decision ? plus(at(offer.postedAt), decision.afterMinutes) : null,
          decidedByRepId: decision?.by ?? null,
          rejectReason: (decision?.reject as Prisma.OfferCreateInput["rejectReason"]) ?? null,
          createdAt: at(offer.postedAt),
        },
      });
    }
    for (const status of spec.acceptClocks ?? []) {
      await prisma.slaClock.create({
        data: { leadId: lead.id, kind: "accept", policy: "standard", status, startedAt: receivedAt, dueAt: receivedAt },
      });
    }
    if (spec.firstTouchClock && acceptedAt) {
      await prisma.slaClock.create({
        data: {
          leadId: lead.id,
          kind: "first_touch",
          policy: "standard",
          status: spec.firstTouchClock,
          startedAt: acceptedAt,
          dueAt: acceptedAt,
        },
      });
    }
    for (const [index, event] of (spec.events ?? []).entries()) {
      await prisma.funnelEvent.create({
        data: {
          leadId: lead.id,
          type: event.type,
          source: "salesforce",
          externalId: `${spec.key}-${index}`,
          amount: event.amount === undefined ? null : new Prisma.Decimal(event.amount),
          occurredAt: at(event.at),
        },
      });
    }
    if (spec.deal) {
      const owner = accepted?.decision?.by ?? null;
      await prisma.deal.create({
        data: {
          leadId: lead.id,
          teamId: owner ? REP_TEAM[owner] : spec.team,
          ownerRepId: owner,
          amount: new Prisma.Decimal(spec.deal.amount),
          outcome: spec.deal.outcome,
          stage: spec.deal.outcome === "open" ? "opportunity" : spec.deal.outcome,
          openedAt: at(spec.deal.openedAt),
          closedAt: spec.deal.closedAt ? at(spec.deal.closedAt) : null,
        },
      });
    }
  }
  await prisma.marketingSpend.createMany({
    data: [
      { weekStart: at("2026-11-09"), channel: "paid-search", campaign: "", amount: new Prisma.Decimal(1000) },
      { weekStart: at("2026-11-16"), channel: "paid-search", campaign: "Q4 webinar", amount: new Prisma.Decimal(1200) },
      { weekStart: at("2026-11-16"), channel: "events", campaign: "", amount: new Prisma.Decimal(800) },
      { weekStart: at("2026-11-23"), channel: "paid-search", campaign: "", amount: new Prisma.Decimal(5000) },
    ],
  });
  return ids;
}
