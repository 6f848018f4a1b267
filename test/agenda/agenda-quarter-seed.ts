/**
 * A quarter of realistic, seeded-random funnel data (13 weeks to Sunday 2026-11-22, EMEA and NA, ~20 MQLs per region
 * and week) written straight to the tables intake, the handoff and the CRM webhook write; with `faults`, the last
 * week carries what the agenda must find:
 *   - EMEA's accept → first-touch time doubled (median 2 h → 4 h);
 *   - a reject cluster: 6 extra EMEA leads rejected as "wrong territory";
 *   - Charles Babbage breaching 5 first-touch SLAs.
 * Both versions hold three large deals (Globex, Initech, Umbrella) that should top the opportunities.
 * Nothing after `AGENDA_NOW` (Monday 2026-11-23 09:00 London) has happened yet.
 */
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../../src/generated/prisma/client.ts";

export const AGENDA_WEEK = "2026-11-23";
export const AGENDA_NOW = new Date("2026-11-23T09:00:00Z");
const QUARTER_START = Date.parse("2026-08-24T00:00:00Z");
const WEEKS = 13;
const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

/** mulberry32: small, fast, seeded, good enough for test data. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const REASONS = ["not_a_fit", "duplicate", "no_budget_or_timing", "bad_contact_data", "existing_customer"] as const;
const STAGES = ["discovery", "proposal", "negotiation"] as const;
const TEAMS = {
  EMEA: { team: "emea-sales", reps: ["ada", "charles"], channel: "C0EMEA" },
  NA: { team: "na-sales", reps: ["grace"], channel: "C0NASALES" },
} as const;

export interface SeededQuarter {
  bigDeals: { name: string; leadId: string }[];
  /** Leads of the injected reject cluster. */
  clusterLeadIds: string[];
}

export async function seedAgendaQuarter(prisma: PrismaClient, options: { faults: boolean; seed?: number }) {
  const random = seededRandom(options.seed ?? 42);
  // Log-normal around a median, spread ×/÷ e^0.6: like real response times, a long right tail.
  const lognormal = (medianMinutes: number) => {
    const u = Math.max(1e-9, random());
    const v = random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return medianMinutes * Math.exp(0.6 * z);
  };
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
  const happened = (at: Date | null) => (at && at.getTime() <= AGENDA_NOW.getTime() ? at : null);

  const leads: Prisma.LeadCreateManyInput[] = [];
  const offers: Prisma.OfferCreateManyInput[] = [];
  const events: Prisma.FunnelEventCreateManyInput[] = [];
  const deals: Prisma.DealCreateManyInput[] = [];
  const clocks: Prisma.SlaClockCreateManyInput[] = [];
  const result: SeededQuarter = { bigDeals: [], clusterLeadIds: [] };
  let sequence = 0;

  const addLead = (input: {
    region: keyof typeof TEAMS;
    week: number;
    receivedAt: Date;
    reject?: string;
    touchMedian: number;
    owner?: string;
  }) => {
    const spec = TEAMS[input.region];
    const id = randomUUID();
    const n = ++sequence;
    const owner = input.owner ?? pick(spec.reps);
    const score = 40 + Math.floor(random() * 60);
    const ts = `1700000000.${String(n).padStart(6, "0")}`;
    const base = {
      id,
      source: "hubspot",
      externalId: `q-${n}`,
      email: `lead${n}@example.com`,
      firstName: `Lead`,
      lastName: `${n}`,
      company: `Company ${n}`,
      region: input.region,
      score,
      rawPayload: {},
      teamId: spec.team,
      receivedAt: input.receivedAt,
      offeredAt: input.receivedAt,
    };
    const rejectReason = input.reject ?? (random() < 0.15 ? pick(REASONS) : undefined);
    if (rejectReason) {
      const rejectedAt = new Date(input.receivedAt.getTime() + lognormal(25) * MINUTE);
      leads.push({ ...base, status: "rejected", rejectedAt });
      offers.push({
        leadId: id,
        teamId: spec.team,
        conversation: `slack:${spec.channel}`,
        messageRef: ts,
        postedAt: input.receivedAt,
        status: "rejected",
        decidedAt: rejectedAt,
        decidedByRepId: owner,
        rejectReason: rejectReason as Prisma.OfferCreateManyInput["rejectReason"],
      });
      return id;
    }
    const acceptedAt = new Date(input.receivedAt.getTime() + lognormal(20) * MINUTE);
    offers.push({
      leadId: id,
      teamId: spec.team,
      conversation: `slack:${spec.channel}`,
      messageRef: ts,
      postedAt: input.receivedAt,
      status: "accepted",
      decidedAt: acceptedAt,
      decidedByRepId: owner,
    });
    const firstTouchAt =
      random() < 0.95 ? happened(new Date(acceptedAt.getTime() + lognormal(input.touchMedian) * MINUTE)) : null;
    const sqlAt =
      firstTouchAt && random() < 0.4 ? happened(new Date(firstTouchAt.getTime() + lognormal(3 * 1440) * MINUTE)) : null;
    let status = firstTouchAt ? (sqlAt ? "opportunity" : "contacted") : "accepted";
    let closedAt: Date | null = null;
    if (sqlAt) {
      const amount = 5_000 + Math.floor(random() * 55_000);
      const closeAt = happened(new Date(sqlAt.getTime() + lognormal(14 * 1440) * MINUTE));
      const won = random() < 0.5;
      if (closeAt) {
        closedAt = closeAt;
        status = won ? "won" : "lost";
      }
      deals.push({
        leadId: id,
        teamId: spec.team,
        ownerRepId: owner,
        amount: new Prisma.Decimal(amount),
        stage: closedAt ? status : pick(STAGES),
        outcome: closedAt ? (won ? "won" : "lost") : "open",
        openedAt: sqlAt,
        closedAt,
      });
      events.push({ leadId: id, type: "sql", source: "crm", externalId: `sql-${n}`, occurredAt: sqlAt, repId: owner });
      if (closedAt) {
        events.push({
          leadId: id,
          type: won ? "won" : "lost",
          source: "crm",
          externalId: `close-${n}`,
          occurredAt: closedAt,
          amount: won ? new Prisma.Decimal(amount) : null,
          repId: owner,
        });
      }
    }
    if (firstTouchAt) {
      events.push({
        leadId: id,
        type: "first_touch",
        source: "crm",
        externalId: `touch-${n}`,
        occurredAt: firstTouchAt,
        repId: owner,
      });
    }
    leads.push({
      ...base,
      status: status as Prisma.LeadCreateManyInput["status"],
      ownerRepId: owner,
      acceptedAt,
      firstTouchAt,
      sqlAt,
      closedAt,
    });
    return id;
  };

  for (let week = 0; week < WEEKS; week++) {
    const weekStart = QUARTER_START + week * 7 * DAY;
    const last = week === WEEKS - 1;
    for (const region of ["EMEA", "NA"] as const) {
      for (let i = 0; i < 20; i++) {
        // Weekdays, 08:00–18:00.
        const receivedAt = new Date(weekStart + Math.floor(random() * 5) * DAY + (480 + random() * 600) * MINUTE);
        const touchMedian = options.faults && last && region === "EMEA" ? 240 : 120;
        addLead({ region, week, receivedAt, touchMedian });
      }
    }
    if (options.faults && last) {
      for (let i = 0; i < 6; i++) {
        const receivedAt = new Date(weekStart + i * DAY * 0.7 + 600 * MINUTE);
        result.clusterLeadIds.push(
          addLead({ region: "EMEA", week, receivedAt, reject: "wrong_territory", touchMedian: 120 }),
        );
      }
      for (let i = 0; i < 5; i++) {
        const receivedAt = new Date(weekStart + i * DAY + 540 * MINUTE);
        const leadId = addLead({ region: "EMEA", week, receivedAt, touchMedian: 240, owner: "charles" });
        clocks.push({
          leadId,
          kind: "first_touch",
          policy: "standard",
          status: "breached",
          startedAt: receivedAt,
          dueAt: new Date(receivedAt.getTime() + 240 * MINUTE),
          breachedAt: new Date(receivedAt.getTime() + 240 * MINUTE),
        });
      }
    }
  }
  // Three large open deals, clearly above the rest once weighted by stage.
  const big = [
    { name: "Globex", amount: 400_000, stage: "negotiation", owner: "ada", region: "EMEA" as const },
    { name: "Initech", amount: 300_000, stage: "commit", owner: "grace", region: "NA" as const },
    { name: "Umbrella", amount: 250_000, stage: "proposal", owner: "charles", region: "EMEA" as const },
  ];
  for (const deal of big) {
    const leadId = addLead({
      region: deal.region,
      week: 6,
      receivedAt: new Date(QUARTER_START + 40 * DAY),
      touchMedian: 120,
      owner: deal.owner,
    });
    deals.push({
      leadId,
      teamId: TEAMS[deal.region].team,
      ownerRepId: deal.owner,
      name: deal.name,
      amount: new Prisma.Decimal(deal.amount),
      stage: deal.stage,
      outcome: "open",
      openedAt: new Date(QUARTER_START + 50 * DAY),
      closeDate: new Date("2026-12-18T00:00:00Z"),
    });
    result.bigDeals.push({ name: deal.name, leadId });
  }
  await prisma.lead.createMany({ data: leads });
  await prisma.offer.createMany({ data: offers });
  await prisma.funnelEvent.createMany({ data: events });
  await prisma.deal.createMany({ data: deals });
  await prisma.slaClock.createMany({ data: clocks });
  return result;
}
