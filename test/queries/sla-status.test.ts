import { pino } from "pino";
import { expect, it } from "vitest";
import { createCommandAnswerer } from "../../src/commands/answer-command.ts";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { startOfWeek } from "../../src/queries/sla-status.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";

const config = parseBatonConfig(`
timezone: Europe/London
teams:
  - id: emea
    name: EMEA Sales
    channel: "console:emea"
    reps: [{ id: ada, name: Ada Lovelace }, { id: charles, name: Charles Babbage }]
  - id: na
    name: NA Sales
    channel: "console:na"
    timezone: America/New_York
    reps: [{ id: grace, name: Grace Hopper }]
routing: { fallbackTeam: emea }
`);

/** Wednesday 6 January 2027, 10:00 in London; EMEA works Mon–Fri 09:00–17:00. */
const NOW = new Date("2027-01-06T10:00:00Z");
const at = (iso: string) => new Date(iso);

async function seedLead(
  prisma: PrismaClient,
  n: number,
  input: {
    team: string;
    owner?: string;
    clock: { kind: "accept" | "first_touch"; startedAt: Date; dueAt: Date; breached?: boolean };
    suggested?: string;
  },
) {
  const lead = await prisma.lead.create({
    data: {
      source: "hubspot",
      externalId: String(n),
      email: `lead${n}@example.com`,
      firstName: "Lead",
      lastName: String(n),
      company: `Company ${n}`,
      rawPayload: {},
      status: input.owner ? "accepted" : "offered",
      teamId: input.team,
      ownerRepId: input.owner,
    },
  });
  await prisma.routingDecision.create({
    data: {
      leadId: lead.id,
      teamId: input.team,
      repId: input.suggested,
      ruleId: "r",
      reason: "r",
      decidedAt: input.clock.startedAt,
    },
  });
  await prisma.slaClock.create({
    data: {
      leadId: lead.id,
      kind: input.clock.kind,
      policy: "standard",
      startedAt: input.clock.startedAt,
      dueAt: input.clock.dueAt,
      status: input.clock.breached ? "breached" : "running",
      breachedAt: input.clock.breached ? input.clock.dueAt : null,
      nextActionAt: input.clock.breached ? null : input.clock.dueAt,
    },
  });
}

describeEachDatabase("sla [team]", (database) => {
  it("answers with open clocks, leads at risk in the next business hour and this week's breaches by rep", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, config);
    // Open: an accept due in 40 business minutes (at risk), a first touch due at 13:00 (not yet).
    await seedLead(db.prisma, 1, {
      team: "emea",
      suggested: "ada",
      clock: { kind: "accept", startedAt: at("2027-01-06T09:40:00Z"), dueAt: at("2027-01-06T10:40:00Z") },
    });
    await seedLead(db.prisma, 2, {
      team: "emea",
      owner: "ada",
      clock: { kind: "first_touch", startedAt: at("2027-01-06T09:00:00Z"), dueAt: at("2027-01-06T13:00:00Z") },
    });
    // Breached this week: Ada's first touch, an offer suggested to Charles nobody accepted, Grace's first touch.
    await seedLead(db.prisma, 3, {
      team: "emea",
      owner: "ada",
      clock: {
        kind: "first_touch",
        startedAt: at("2027-01-04T09:00:00Z"),
        dueAt: at("2027-01-04T13:00:00Z"),
        breached: true,
      },
    });
    await seedLead(db.prisma, 4, {
      team: "emea",
      suggested: "charles",
      clock: {
        kind: "accept",
        startedAt: at("2027-01-05T09:00:00Z"),
        dueAt: at("2027-01-05T09:30:00Z"),
        breached: true,
      },
    });
    await seedLead(db.prisma, 5, {
      team: "na",
      owner: "grace",
      clock: {
        kind: "first_touch",
        startedAt: at("2027-01-05T15:00:00Z"),
        dueAt: at("2027-01-05T19:00:00Z"),
        breached: true,
      },
    });
    // Last week's breach does not count.
    await seedLead(db.prisma, 6, {
      team: "emea",
      owner: "ada",
      clock: {
        kind: "first_touch",
        startedAt: at("2026-12-31T09:00:00Z"),
        dueAt: at("2026-12-31T13:00:00Z"),
        breached: true,
      },
    });
    const answer = createCommandAnswerer({
      prisma: db.prisma,
      batonConfig: () => config,
      logger: pino({ level: "silent" }),
      now: () => NOW,
    });

    const emea = await answer("sla emea", "console:ada");
    expect(emea.text).toBe(
      "SLA for EMEA Sales: 2 open clocks (1 accept, 1 first touch), 1 at risk in the next business hour, 2 breaches this week.",
    );
    expect(emea.blocks).toContainEqual({
      type: "text",
      text: "*At risk*\n• Lead 1 · Company 1: accept due Wed 6 Jan, 10:40 GMT (EMEA Sales)",
    });
    expect(emea.blocks).toContainEqual({
      type: "text",
      text: "*Breaches this week, by rep*\n• Ada Lovelace: 1\n• Charles Babbage: 1",
    });

    const all = await answer("sla", "slack:U0ANYONE");
    expect(all.text).toBe(
      "SLA for all teams: 2 open clocks (1 accept, 1 first touch), 1 at risk in the next business hour, 3 breaches this week.",
    );
    expect((await answer('sla "NA Sales"', "console:ada")).text).toBe(
      "SLA for NA Sales: 0 open clocks (0 accept, 0 first touch), 0 at risk in the next business hour, 1 breach this week.",
    );
    expect((await answer("sla apac", "console:ada")).text).toBe("No team matches “apac”. Teams: emea, na.");
  });
});

it("starts the week on Monday at midnight in the team's time zone", () => {
  expect(startOfWeek(NOW, "Europe/London")).toEqual(at("2027-01-04T00:00:00Z"));
  expect(startOfWeek(at("2027-01-04T03:00:00Z"), "America/New_York")).toEqual(at("2026-12-28T05:00:00Z"));
  expect(startOfWeek(at("2027-01-10T23:30:00Z"), "Asia/Kolkata")).toEqual(at("2027-01-10T18:30:00Z"));
});
