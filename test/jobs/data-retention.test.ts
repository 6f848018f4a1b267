/**
 * Retention: with `privacy.retentionDays`, the daily job anonymises leads received longer ago than that, through
 * the same machinery as `forget` (cards posted about them re-rendered, their names gone from agendas and action
 * items as old as they are), keeps every count KPIs need, leaves newer leads alone (also a newer lead of the same
 * person), and runs once a day across replicas.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { ConfigError } from "../../src/config/config-error.ts";
import { postSigned } from "../intake/intake-support.ts";
import {
  type FakeSlack,
  INTAKE_SIGNING_SECRET,
  slackTestConfig,
  startSlackTestBaton,
  USERS,
} from "../slack/slack-test-kit.ts";
import type { TestBaton } from "../support/start-baton.ts";

const DAY = 86_400_000;
/** Noon today (UTC): the job's day slot is the UTC date. */
const NOW = new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00.000Z`);

describe("data retention job", () => {
  let t: TestBaton;
  let slack: FakeSlack;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    ({ t, slack, stop } = await startSlackTestBaton({
      batonConfig: { ...slackTestConfig(), privacy: { retentionDays: 30 } },
    }));
  });
  afterEach(() => stop());

  const send = async (body: Record<string, unknown>) => {
    const response = await postSigned(t.url, body, { secret: INTAKE_SIGNING_SECRET });
    expect(response.status).toBe(202);
    return response.body.leadId as string;
  };
  const counts = async () => ({
    leads: await t.db.prisma.lead.groupBy({
      by: ["status", "teamId", "source"],
      _count: { _all: true },
      orderBy: { status: "asc" },
    }),
    offers: await t.db.prisma.offer.groupBy({ by: ["status"], _count: { _all: true }, orderBy: { status: "asc" } }),
    audit: await t.db.prisma.auditLog.count({ where: { action: { not: "leads.retention_anonymised" } } }),
  });

  it("anonymises leads past the period, keeps the counts and newer leads, once a day", async () => {
    const old = await send({
      source: "hubspot",
      externalId: "old-1",
      email: "augusta@analytical.example",
      firstName: "Augusta",
      lastName: "Byron-King",
      phone: "+44 20 7946 0999",
      company: "Analytical Engines",
      region: "EMEA",
    });
    await t.baton.outbox.drain();
    expect((await t.baton.handoff.acceptLead(old, { user: `slack:${USERS.ada}` })).outcome).toBe("accepted");
    const recent = await send({
      source: "hubspot",
      externalId: "new-1",
      email: "grace@navy.example",
      firstName: "Grace",
      lastName: "Hopper",
      region: "NA",
    });
    await t.baton.outbox.drain();
    // The first lead was received 40 days ago, the second yesterday.
    await t.db.prisma.lead.update({ where: { id: old }, data: { receivedAt: new Date(NOW.getTime() - 40 * DAY) } });
    await t.db.prisma.lead.update({ where: { id: recent }, data: { receivedAt: new Date(NOW.getTime() - DAY) } });
    // A newer MQL of the same person as the old lead: inside the period, it keeps its data.
    const sameRecent = await send({
      source: "salesforce",
      externalId: "new-2",
      email: "augusta@analytical.example",
      firstName: "Augusta",
      region: "EMEA",
    });
    await t.baton.outbox.drain();
    // History as old as the old lead names it; this week's agenda and a fresh action item (about the newer lead of
    // the same person) keep the name.
    const weekStartOf = (daysAgo: number) =>
      new Date(`${new Date(NOW.getTime() - daysAgo * DAY).toISOString().slice(0, 10)}T00:00:00.000Z`);
    const mention = { items: [{ section: "opportunity", title: "Augusta Byron-King · Analytical Engines: accepted" }] };
    const oldAgenda = await t.db.prisma.weeklyAgenda.create({
      data: { scope: "joint", weekStart: weekStartOf(35), content: mention },
    });
    const recentAgenda = await t.db.prisma.weeklyAgenda.create({
      data: { scope: "joint", weekStart: weekStartOf(2), content: mention },
    });
    const oldItem = await t.db.prisma.actionItem.create({
      data: { scope: "joint", text: "Call Augusta Byron-King back", createdAt: new Date(NOW.getTime() - 35 * DAY) },
    });
    const recentItem = await t.db.prisma.actionItem.create({
      data: { scope: "joint", text: "Send Augusta Byron-King the deck", createdAt: new Date(NOW.getTime() - DAY) },
    });
    const before = await counts();
    const updatesBefore = slack.callsTo("chat.update").length;

    expect(await t.baton.jobs.runOnce(t.baton.dataRetention, NOW)).toBe("ran");
    await t.baton.outbox.drain();

    const anonymised = await t.db.prisma.lead.findUniqueOrThrow({ where: { id: old } });
    expect(anonymised).toMatchObject({
      email: `erased-${old}@erased.invalid`,
      firstName: null,
      lastName: null,
      phone: null,
      company: null,
      status: "accepted",
      teamId: "emea-sales",
      rawPayload: { erased: true, source: "hubspot", externalId: "old-1" },
    });
    expect(await t.db.prisma.lead.findUniqueOrThrow({ where: { id: recent } })).toMatchObject({
      email: "grace@navy.example",
      lastName: "Hopper",
    });
    expect(await t.db.prisma.lead.findUniqueOrThrow({ where: { id: sameRecent } })).toMatchObject({
      email: "augusta@analytical.example",
      firstName: "Augusta",
    });
    expect(await counts()).toEqual(before);
    const contentOf = async (id: string) =>
      JSON.stringify((await t.db.prisma.weeklyAgenda.findUniqueOrThrow({ where: { id } })).content);
    expect(await contentOf(oldAgenda.id)).not.toContain("Byron-King");
    expect(await contentOf(recentAgenda.id)).toContain("Augusta Byron-King");
    const textOf = async (id: string) => (await t.db.prisma.actionItem.findUniqueOrThrow({ where: { id } })).text;
    expect(await textOf(oldItem.id)).not.toContain("Byron-King");
    expect(await textOf(oldItem.id)).toMatch(/^Call .+ back$/);
    expect(await textOf(recentItem.id)).toBe("Send Augusta Byron-King the deck");
    // The old lead's card in Slack now shows the anonymised lead.
    const updates = slack.callsTo("chat.update").slice(updatesBefore);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    for (const update of updates) expect(JSON.stringify(update.args)).not.toContain("Byron-King");
    expect(await t.db.prisma.auditLog.findFirst({ where: { action: "leads.retention_anonymised" } })).toMatchObject({
      actor: "system",
      details: { leads: 1 },
    });

    // Once a day, across replicas and restarts; the next day there is nothing left to do.
    expect(await t.baton.jobs.runOnce(t.baton.dataRetention, new Date(NOW.getTime() + 3_600_000))).toBe("skipped");
    expect(await t.baton.jobs.runOnce(t.baton.dataRetention, new Date(NOW.getTime() + DAY))).toBe("ran");
    expect(await t.db.prisma.auditLog.count({ where: { action: "leads.retention_anonymised" } })).toBe(1);
  });
});

describe("privacy.retentionDays", () => {
  it("is a whole number of days, at least 1; unset keeps leads", () => {
    const base = `teams: [{ id: s, name: S, channel: "console:s", reps: [{ id: a, name: A }] }]\nrouting: { fallbackTeam: s }\n`;
    expect(parseBatonConfig(base).privacy.retentionDays).toBeUndefined();
    expect(parseBatonConfig(`${base}privacy: { retentionDays: 365 }`).privacy.retentionDays).toBe(365);
    expect(() => parseBatonConfig(`${base}privacy: { retentionDays: 0 }`)).toThrow(ConfigError);
    expect(() => parseBatonConfig(`${base}privacy: { retentionDays: 1.5 }`)).toThrow(/privacy\.retentionDays/);
  });
});
