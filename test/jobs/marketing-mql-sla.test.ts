import { pino } from "pino";
import { expect, it } from "vitest";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { JobRunner } from "../../src/jobs/job-runner.ts";
import { marketingMqlSlaJob } from "../../src/jobs/marketing-mql-sla.ts";
import { isoWeekKey } from "../../src/queries/mql-week.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";

const config = parseBatonConfig(`
timezone: Europe/London
marketing: { channel: "console:marketing" }
teams: [{ id: emea, name: EMEA Sales, channel: "console:emea", reps: [{ id: ada, name: Ada Lovelace }] }]
routing: { fallbackTeam: emea }
targets: { weeklyMqls: 10, minAcceptanceRate: 0.7 }
`);

describeEachDatabase("marketing's MQL SLA", (database) => {
  it("posts the mid-week pacing and the week's result in the marketing channel, each once", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, config);
    // Week 1 of 2027 (Mon 4 January): four MQLs, two accepted, two rejected; one MQL the week before.
    const decisions = [
      { status: "accepted" as const },
      { status: "accepted" as const },
      { status: "rejected" as const, rejectReason: "wrong_territory" as const },
      { status: "rejected" as const, rejectReason: "not_a_fit" as const },
    ];
    for (const [i, decision] of decisions.entries()) {
      const lead = await db.prisma.lead.create({
        data: {
          source: "hubspot",
          externalId: String(i),
          email: `l${i}@example.com`,
          rawPayload: {},
          receivedAt: new Date(`2027-01-0${4 + (i % 2)}T10:00:00Z`),
        },
      });
      await db.prisma.offer.create({
        data: {
          leadId: lead.id,
          teamId: "emea",
          conversation: "console:emea",
          decidedAt: new Date("2027-01-05T12:00:00Z"),
          ...decision,
        },
      });
    }
    await db.prisma.lead.create({
      data: {
        source: "hubspot",
        externalId: "old",
        email: "old@example.com",
        rawPayload: {},
        receivedAt: new Date("2027-01-01T10:00:00Z"),
      },
    });
    const runner = new JobRunner({ prisma: db.prisma, logger: pino({ level: "silent" }) });
    const deps = { prisma: db.prisma, batonConfig: () => config };
    const pacing = marketingMqlSlaJob(deps, "pacing");
    const result = marketingMqlSlaJob(deps, "result");

    expect(await runner.runOnce(pacing, new Date("2027-01-06T12:00:00Z"))).toBe("ran");
    expect(await runner.runOnce(pacing, new Date("2027-01-06T12:00:30Z"))).toBe("skipped");
    expect(await runner.runOnce(result, new Date("2027-01-11T09:00:00Z"))).toBe("ran");
    expect(await runner.runOnce(result, new Date("2027-01-11T09:00:00Z"))).toBe("skipped");

    const posted = await db.prisma.outboxMessage.findMany({ orderBy: { idempotencyKey: "asc" } });
    expect(
      posted.map((row) => [
        row.idempotencyKey,
        row.conversation,
        (row.payload as { message: { text: string } }).message.text,
      ]),
    ).toEqual([
      [
        "mql-sla:pacing:2027-W01",
        "console:marketing",
        "MQL pacing, 2027-W01: 4 of 10 MQLs (40 %), behind pace: 1 short of the 5 expected by now. Sales accepted 2 of 4 (50 %) (floor 70 %: below). Top reject reasons: Not a fit 1, Wrong territory 1.",
      ],
      [
        "mql-sla:result:2027-W01",
        "console:marketing",
        "MQL SLA result, 2027-W01: 4 of 10 MQLs: target missed by 6. Sales accepted 2 of 4 (50 %) (floor 70 %: below). Top reject reasons: Not a fit 1, Wrong territory 1.",
      ],
    ]);
  });
});

it("names ISO weeks by their Thursday's year", () => {
  expect(isoWeekKey({ year: 2027, month: 1, day: 4 })).toBe("2027-W01");
  expect(isoWeekKey({ year: 2026, month: 12, day: 28 })).toBe("2026-W53");
  expect(isoWeekKey({ year: 2024, month: 12, day: 30 })).toBe("2025-W01");
});
