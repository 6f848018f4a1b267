/**
 * `loadIntakeContext`, intake's one read, answers exactly what the two queries it replaces answer
 * (`findIntakeMatches` and `loadRoutingState`), dates as Dates, nested JSON as stored, on both databases.
 */
import { expect, it } from "vitest";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { OPEN_STATUSES } from "../../src/domain/leads/lifecycle.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { loadIntakeContext } from "../../src/intake/intake-context.ts";
import type { RoutingState } from "../../src/intake/offer-lead.ts";
import { loadRoutingState } from "../../src/intake/offer-lead.ts";
import { receiveMql, toMql } from "../../src/intake/receive-mql.ts";
import { intakeMatchesOf } from "../../src/repositories/leads.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";

const CONFIG = parseBatonConfig(`
marketing: { channel: "console:marketing" }
teams:
  - id: emea
    name: EMEA Sales
    channel: "slack:CEMEA"
    timezone: Europe/London
    workingHours: { days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:30" }
    reps:
      - { id: ada, name: Ada Lovelace, slackUserId: UADA, capacity: 3 }
      - { id: charles, name: Charles Babbage, slackUserId: UCHARLES }
      - { id: gone, name: Gone Rep, slackUserId: UGONE }
  - id: na
    name: NA Sales
    channel: "teams:19:na@thread.tacv2"
    timezone: America/New_York
    workingHours: { days: [mon, tue, wed, thu, fri], start: "08:00", end: "18:00" }
    reps:
      - { id: grace, name: Grace Hopper, teamsUserId: "29:grace", timezone: America/Chicago }
  - id: closed
    name: Closed Team
    channel: "slack:CCLOSED"
    timezone: UTC
    workingHours: { days: [mon], start: "09:00", end: "10:00" }
    reps: []
routing:
  rules:
    - { id: emea-all, team: emea, match: { region: [EMEA] } }
    - { id: na-all, team: na, match: { region: [NA] } }
  fallbackTeam: emea
sla:
  defaultPolicy: standard
  policies: [{ id: standard, acceptWithin: 30m, firstTouchWithin: 4h }]
`);

const NOW = new Date("2026-11-24T10:00:00Z");

function mql(externalId: string, email: string, region = "EMEA") {
  const body = {
    source: "hubspot",
    externalId,
    email,
    firstName: "Ada",
    company: "Analytical",
    region,
    extra: { n: 1 },
  };
  return { mql: toMql(body), rawPayload: body, config: CONFIG, now: NOW };
}

/** The reference: the Prisma query intake made before its one read (the stored key, or the person's open leads). */
async function findIntakeMatches(prisma: PrismaClient, key: { source: string; externalId: string; email: string }) {
  const rows = await prisma.lead.findMany({
    where: {
      OR: [
        { source: key.source, externalId: key.externalId },
        { email: key.email, duplicateOfId: null, teamId: { not: null }, status: { in: [...OPEN_STATUSES] } },
      ],
    },
    orderBy: { receivedAt: "desc" },
    include: { owner: true, team: true },
  });
  return intakeMatchesOf(rows, key);
}

/** Teams and reps in id order: neither query orders them, and the router does not depend on their order. */
function sorted(state: RoutingState) {
  return {
    teams: [...state.teams.values()]
      .map((team) => ({ ...team, reps: [...team.reps].sort((a, b) => a.id.localeCompare(b.id)) }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    states: [...state.states]
      .map((team) => ({ ...team, reps: [...team.reps].sort((a, b) => a.id.localeCompare(b.id)) }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

describeEachDatabase("intake's one read", (database) => {
  it("answers as findIntakeMatches and loadRoutingState do", async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, CONFIG);
    await prisma.rep.update({ where: { id: "gone" }, data: { active: false } });
    await prisma.team.update({ where: { id: "closed" }, data: { active: false } });
    await prisma.rep.update({ where: { id: "charles" }, data: { status: "away" } });

    // Offers for the round-robin's counts, a lead accepted by Ada (her open load), one by Grace, one still offered.
    const accepted = await receiveMql(prisma, mql("a-1", "person@analytical.example"));
    await prisma.lead.update({
      where: { id: accepted.leadId },
      data: { status: "accepted", ownerRepId: "ada", acceptedAt: NOW },
    });
    const other = await receiveMql(prisma, mql("a-2", "other@analytical.example", "NA"));
    await prisma.lead.update({ where: { id: other.leadId }, data: { status: "contacted", ownerRepId: "grace" } });
    await receiveMql(prisma, mql("a-3", "third@analytical.example"));
    await prisma.rep.update({ where: { id: "ada" }, data: { lastOfferedAt: new Date("2026-11-23T08:00:00.123Z") } });

    const cases = [
      // A new MQL of a person with an open (accepted, owned) lead: linked to it.
      { source: "hubspot", externalId: "new-1", email: "person@analytical.example" },
      // The stored MQL again, with its person's open lead.
      { source: "hubspot", externalId: "a-1", email: "person@analytical.example" },
      // A stranger.
      { source: "hubspot", externalId: "new-2", email: "nobody@analytical.example" },
      // A still-offered lead's person: that lead has a team, no owner.
      { source: "marketo", externalId: "m-1", email: "third@analytical.example" },
    ];
    for (const key of cases) {
      const context = await loadIntakeContext(prisma, key, NOW);
      expect(context.matches, JSON.stringify(key)).toEqual(await findIntakeMatches(prisma, key));
      expect(sorted(context.routing)).toEqual(sorted(await loadRoutingState(prisma, NOW)));
    }

    const linked = await loadIntakeContext(prisma, cases[0], NOW);
    expect(linked.matches.stored).toBeNull();
    expect(linked.matches.open).toMatchObject({
      id: accepted.leadId,
      acceptedAt: NOW,
      rawPayload: { extra: { n: 1 } },
      owner: { id: "ada", slackUserId: "UADA" },
      team: { id: "emea", workingHours: { days: ["mon", "tue", "wed", "thu", "fri"] } },
    });
    expect(linked.matches.open?.receivedAt).toBeInstanceOf(Date);
    const state = sorted(linked.routing);
    expect(state.states.map((team) => team.id)).toEqual(["emea", "na"]);
    expect(state.states[0].reps).toMatchObject([
      { id: "ada", openLeads: 1, recentOffers: 2, away: false, lastOfferedAt: new Date("2026-11-23T08:00:00.123Z") },
      { id: "charles", openLeads: 0, recentOffers: 0, away: true },
    ]);
    // Grace is off at 05:00 in New York: the NA lead was offered to her team without a suggested rep.
    expect(state.states[1].reps).toMatchObject([{ id: "grace", openLeads: 1, recentOffers: 0 }]);
  });
});
