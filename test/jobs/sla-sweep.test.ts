/**
 * The SLA sweep through the real job runner with an injected clock, delivered through the fake Slack Web API:
 * reminders at 50 % and 90 %, then the breach (card withdrawn, lead re-offered, manager and escalation told), each
 * once however often the sweep runs; after a long outage, one summary per conversation instead of a flood.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BatonConfig, parseBatonConfig } from "../../src/config/baton-config.ts";
import { routeAndOfferLead } from "../../src/intake/offer-lead.ts";
import { buttonsOf, CHANNELS, fakeSlackApi, SLACK_ENV, type SlackCall, seen, USERS } from "../slack/slack-test-kit.ts";
import { ENGINES } from "../support/databases.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

const ESCALATION = "C0SLAESC";

/** EMEA Sales open around the clock (business minutes = wall minutes), Grace manages it, breaches go to #sla. */
export const slaTestConfig = (extra = ""): BatonConfig =>
  parseBatonConfig(`
organization: Test Corp
teams:
  - id: emea-sales
    name: EMEA Sales
    channel: "slack:${CHANNELS.emea}"
    timezone: Europe/London
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    manager: grace
    reps:
      - { id: ada, name: Ada Lovelace, slackUserId: ${USERS.ada} }
      - { id: charles, name: Charles Babbage, slackUserId: ${USERS.charles} }
  - id: na-sales
    name: North America Sales
    channel: "slack:${CHANNELS.na}"
    timezone: America/New_York
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    manager: grace
    reps:
      - { id: grace, name: Grace Hopper, slackUserId: ${USERS.grace} }
routing:
  rules:
    - { id: emea-all, team: emea-sales, match: { region: [EMEA] } }
  fallbackTeam: na-sales
sla:
  defaultPolicy: standard
  policies:
    - id: standard
      acceptWithin: 30m
      firstTouchWithin: 4h
      remindAt: [0.5, 0.9]
      escalateTo: "slack:${ESCALATION}"
      reassignOnBreach: true
${extra}`);

const T0 = new Date("2027-01-04T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** Stores an EMEA lead and offers it at `when`, as intake does. */
export async function offerLead(t: TestBaton, when: Date, n = 1, region = "EMEA") {
  return t.db.prisma.$transaction(async (tx) => {
    const lead = await tx.lead.create({
      data: {
        source: "hubspot",
        externalId: `sla-${n}`,
        email: `lead${n}@analytical.example`,
        firstName: "Augusta",
        lastName: `King ${n}`,
        company: "Analytical Engines",
        region,
        rawPayload: {},
        receivedAt: when,
      },
    });
    const offered = await routeAndOfferLead(tx, { leadId: lead.id, config: t.baton.batonConfig(), now: when });
    return { leadId: lead.id, offerId: offered?.offerId as string };
  });
}

/** A Slack call as a line: method, where, thread, and what was said. */
function line(call: SlackCall): string {
  const where = String(call.args.channel);
  const thread = call.args.thread_ts ? ` thread ${call.args.thread_ts}` : "";
  return `${call.method} ${where}${thread}: ${String(call.args.text)}`;
}

/** The calls, in order, each starting as expected. */
function expectCalls(calls: SlackCall[], starts: string[]) {
  const lines = calls.map(line);
  expect(lines.map((text, i) => (starts[i] && text.startsWith(starts[i]) ? starts[i] : text))).toEqual(starts);
}

for (const engine of ENGINES) {
  describe(`SLA sweep on Slack [${engine}]`, () => {
    let t: TestBaton;
    let slack: ReturnType<typeof fakeSlackApi>;
    let now = T0;

    beforeEach(async () => {
      nock.cleanAll();
      nock.disableNetConnect();
      nock.enableNetConnect("127.0.0.1");
      slack = fakeSlackApi();
      now = T0;
      t = await startTestBaton({ env: SLACK_ENV, batonConfig: slaTestConfig(), engine, now: () => now });
    });

    afterEach(async () => {
      await t.stop();
      nock.cleanAll();
      nock.enableNetConnect();
    });

    /** Runs the sweep at `minutes` past T0 through the job runner, then delivers what it queued. */
    async function sweepAt(minutes: number) {
      now = at(minutes);
      expect(await t.baton.jobs.runOnce(t.baton.slaSweep, now)).toBe("ran");
      await t.baton.outbox.drain();
    }

    it("reminds at 50 % and 90 %, then on the breach withdraws the card, re-offers, tells the manager and escalates: once each", async () => {
      const { leadId, offerId } = await offerLead(t, T0);
      await t.baton.outbox.drain();
      const card = slack.callsTo("chat.postMessage")[0];
      const cardTs = String(card.response?.ts);
      const clock = await t.db.prisma.slaClock.findFirstOrThrow({ where: { leadId, kind: "accept" } });
      expect(clock.nextActionAt).toEqual(at(15));

      for (const minutes of [1, 14, 15, 15, 16, 26, 27, 27, 29, 30, 30, 31, 44]) await sweepAt(minutes);

      expectCalls(slack.calls.slice(1), [
        `chat.postMessage ${CHANNELS.emea} thread ${cardTs}: ⏰ Augusta King 1 · Analytical Engines still needs an owner: 15 of`,
        `chat.postMessage ${CHANNELS.emea} thread ${cardTs}: ⏰ Augusta King 1 · Analytical Engines still needs an owner: 27 of`,
        `chat.update ${CHANNELS.emea}: Augusta King 1 · Analytical Engines: ⏱ Not accepted in time: re`,
        `chat.postMessage ${USERS.grace}: 🚨 SLA breached: accept of Augusta King 1 · Analytical Engines was due Mon 4 Jan, 10:30 GMT Held by EMEA Sales (suggested: Ada Lovelace) (EMEA Sales). Re-offered to EMEA Sales (suggested: Charles Babbage).`,
        `chat.postMessage ${ESCALATION}: 🚨 SLA breached: accept of Augusta King 1 · Analytical Engines was due Mon 4 Jan, 10:30 GMT Held by EMEA Sales (suggested: Ada Lovelace) (EMEA Sales). Re-offered to EMEA Sales (suggested: Charles Babbage).`,
        `chat.postMessage ${CHANNELS.emea}: New lead for EMEA Sales: Augusta King 1 · Analytical Engines. A`,
      ]);
      // The reminder carries the card's own Accept button, so the existing accept handler takes it.
      expect(buttonsOf(slack.calls[1])).toEqual([{ action_id: "lead_accept", value: leadId, style: "primary" }]);
      // The withdrawn card has no buttons left; the new card has Accept and Reject.
      const update = slack.callsTo("chat.update")[0];
      expect(update.args.ts).toBe(cardTs);
      expect(buttonsOf(update)).toEqual([]);
      expect(buttonsOf(slack.calls[6]).map((button) => button.action_id)).toEqual(["lead_accept", "lead_reject"]);
      expect(seen(update)).toContain("Not accepted in time: re-offered");

      const outbox = await t.db.prisma.outboxMessage.findMany({ orderBy: { createdAt: "asc" } });
      expect(outbox.map((message) => message.idempotencyKey.replace(clock.id, "<clock>"))).toEqual([
        `offer:${offerId}:post`,
        "sla:<clock>:remind-1",
        "sla:<clock>:remind-2",
        "sla:<clock>:breach:withdrawn",
        expect.stringMatching(/^offer:.+:post$/),
        "sla:<clock>:breach:manager",
        "sla:<clock>:breach:escalation",
      ]);
      expect(outbox.every((message) => message.status === "sent")).toBe(true);
      expect(await t.db.prisma.slaClock.findUniqueOrThrow({ where: { id: clock.id } })).toMatchObject({
        status: "breached",
        breachedAt: at(30),
        escalatedAt: at(30),
        remindersSent: 2,
        lastRemindedAt: at(27),
        nextActionAt: null,
      });
      expect(await t.db.prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
        status: "withdrawn",
      });
      // The re-offer runs its own accept clock: first reminder 15 minutes after the re-offer.
      const next = await t.db.prisma.slaClock.findFirstOrThrow({ where: { leadId, status: "running" } });
      expect(next).toMatchObject({ kind: "accept", startedAt: at(30), nextActionAt: at(45) });
    });

    it("tells the owner and the manager when a first touch is late; the lead stays the owner's", async () => {
      const { leadId } = await offerLead(t, T0);
      await t.baton.outbox.drain();
      now = at(5);
      expect((await t.baton.handoff.acceptLead(leadId, { user: `slack:${USERS.ada}` })).outcome).toBe("accepted");
      await t.baton.outbox.drain();
      const before = slack.calls.length;
      // 4 business hours from 10:05: reminders at 12:05 and 13:41, due 14:05.
      for (const minutes of [124, 125, 125, 220, 221, 244, 245, 245, 246]) await sweepAt(minutes);
      expectCalls(slack.calls.slice(before), [
        `chat.postMessage ${USERS.ada}: ⏰ First touch for Augusta King 1 · Analytical Engines is due`,
        `chat.postMessage ${USERS.ada}: ⏰ First touch for Augusta King 1 · Analytical Engines is due`,
        `chat.postMessage ${USERS.grace}: 🚨 SLA breached: first touch of Augusta King 1 · Analytical E`,
        `chat.postMessage ${ESCALATION}: 🚨 SLA breached: first touch of Augusta King 1 · Analytical E`,
        `chat.postMessage ${USERS.ada}: 🚨 The first touch for Augusta King 1 · Analytical Engines was`,
      ]);
      expect(await t.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({
        status: "accepted",
        ownerRepId: "ada",
      });
    });

    it("after a 3-hour outage sends no stale reminders and one summary per conversation", async () => {
      const leads = [];
      for (const n of [1, 2, 3]) leads.push(await offerLead(t, at(n - 1), n));
      await t.baton.outbox.drain();
      const before = slack.calls.length;
      // Baton was down from T0+5m until T0+3h05m: every reminder and every due time passed unseen.
      await sweepAt(185);
      await sweepAt(186);
      const after = slack.calls.slice(before);
      const posts = after.filter((call) => call.method === "chat.postMessage");
      const summaries = posts.filter((call) => String(call.args.text).includes("breached while Baton was down"));
      expect(summaries.map((call) => call.args.channel).sort()).toEqual([ESCALATION, USERS.grace].sort());
      expect(String(summaries[0].args.text)).toMatch(/^3 leads breached while Baton was down: Augusta King 1/);
      expect(posts.filter((call) => String(call.args.text).includes("⏰"))).toEqual([]);
      // The cards are still withdrawn and the leads re-offered, one card each.
      expect(after.filter((call) => call.method === "chat.update")).toHaveLength(3);
      expect(posts.filter((call) => String(call.args.text).startsWith("New lead"))).toHaveLength(3);
      expect(after).toHaveLength(3 + 3 + 2);
    });
  });
}
