/**
 * The SLA sweep through the real job runner with an injected clock, delivered through the fake Slack Web API:
 * reminders at 50 % and 90 %, then the breach (card withdrawn, lead re-offered, manager and escalation told), each
 * once however often the sweep runs; after a long outage, one summary per conversation instead of a flood.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type BatonConfig, parseBatonConfig } from "../../src/config/baton-config.ts";
import { routeAndOfferLead } from "../../src/intake/offer-lead.ts";
import {
  buttonsOf,
  CHANNELS,
  type FakeSlack,
  postToSlackEndpoint,
  type SlackCall,
  seen,
  slackFixture,
  startSlackTestBaton,
  USERS,
} from "../slack/slack-test-kit.ts";
import { ENGINES } from "../support/databases.ts";
import type { TestBaton } from "../support/start-baton.ts";

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

for (const engine of ENGINES) {
  describe(`SLA sweep on Slack [${engine}]`, () => {
    let t: TestBaton;
    let slack: FakeSlack;
    let stop: () => Promise<void>;
    let now = T0;

    beforeEach(async () => {
      now = T0;
      ({ t, slack, stop } = await startSlackTestBaton({ batonConfig: slaTestConfig(), engine, now: () => now }));
    });

    afterEach(() => stop());

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

      // What each sweep caused; within one sweep, different conversations are delivered in parallel (sorted here).
      const bySweep: [number, string[]][] = [];
      for (const minutes of [14, 15, 15, 26, 27, 30, 30, 44]) {
        const from = slack.calls.length;
        await sweepAt(minutes);
        bySweep.push([minutes, slack.calls.slice(from).map(line).sort()]);
      }
      const reminder = (used: number) =>
        `chat.postMessage ${CHANNELS.emea} thread ${cardTs}: ⏰ Augusta King 1 · Analytical Engines still needs an owner: ${used} of 30 business minutes gone, accept by Mon 4 Jan, 10:30 GMT.`;
      const breach =
        "🚨 SLA breached: accept of Augusta King 1 · Analytical Engines was due Mon 4 Jan, 10:30 GMT Held by EMEA Sales (suggested: Ada Lovelace) (EMEA Sales). Re-offered to EMEA Sales (suggested: Charles Babbage).";
      expect(bySweep).toEqual([
        [14, []],
        [15, [reminder(15)]],
        [15, []],
        [26, []],
        [27, [reminder(27)]],
        [
          30,
          [
            `chat.postMessage ${CHANNELS.emea}: New lead for EMEA Sales: Augusta King 1 · Analytical Engines. Accept or reject it.`,
            `chat.postMessage ${ESCALATION}: ${breach}`,
            `chat.postMessage ${USERS.grace}: ${breach}`,
            `chat.update ${CHANNELS.emea}: Augusta King 1 · Analytical Engines: ⏱ Not accepted in time: re-offered`,
          ].sort(),
        ],
        [30, []],
        [44, []],
      ]);
      // The reminder carries the card's own Accept button, so the existing accept handler takes it.
      expect(buttonsOf(slack.calls[1])).toEqual([{ action_id: "lead_accept", value: leadId, style: "primary" }]);
      // The withdrawn card has no buttons left; the new card has Accept and Reject.
      const update = slack.callsTo("chat.update")[0];
      expect(update.args.ts).toBe(cardTs);
      expect(buttonsOf(update)).toEqual([]);
      // A lead's messages go out in order (withdrawal, new card, manager, escalation): the new card is the last
      // post to the team's channel outside a thread.
      const newCard = slack
        .callsTo("chat.postMessage")
        .filter((call) => call.args.channel === CHANNELS.emea && !call.args.thread_ts)
        .at(-1);
      expect(newCard?.args.channel).toBe(CHANNELS.emea);
      expect(buttonsOf(newCard).map((button) => button.action_id)).toEqual(["lead_accept", "lead_reject"]);
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
      // GET /metrics counts what the sweeps did.
      const metrics = await t.baton.metrics.registry.getSingleMetricAsString("baton_sla_actions_total");
      expect(metrics).toContain('baton_sla_actions_total{action="reminder"} 2');
      expect(metrics).toContain('baton_sla_actions_total{action="breach"} 1');
      expect(metrics).toContain('baton_sla_actions_total{action="reoffer"} 1');
    }, 300_000); // Eight sweeps and deliveries on a loaded two-core machine: over the usual budget, never timed.

    it("tells the owner and the manager when a first touch is late; the lead stays the owner's", async () => {
      const { leadId } = await offerLead(t, T0);
      await t.baton.outbox.drain();
      now = at(5);
      // Accepting stops the accept clock: the sweeps below act on the first-touch clock only.
      expect((await t.baton.handoff.acceptLead(leadId, { user: `slack:${USERS.ada}` })).outcome).toBe("accepted");
      await t.baton.outbox.drain();
      const before = slack.calls.length;
      // 4 business hours from 10:05: reminders at 12:05 and 13:41, due 14:05.
      const bySweep: [number, string[]][] = [];
      for (const minutes of [124, 125, 125, 221, 245, 245]) {
        const from = slack.calls.length;
        await sweepAt(minutes);
        bySweep.push([
          minutes,
          slack.calls
            .slice(from)
            .map((call) => `${call.method} ${call.args.channel}`)
            .sort(),
        ]);
      }
      expect(bySweep).toEqual([
        [124, []],
        [125, [`chat.postMessage ${USERS.ada}`]],
        [125, []],
        [221, [`chat.postMessage ${USERS.ada}`]],
        [245, [`chat.postMessage ${ESCALATION}`, `chat.postMessage ${USERS.ada}`, `chat.postMessage ${USERS.grace}`]],
        [245, []],
      ]);
      const said = slack.calls.slice(before).map((call) => `${call.args.channel}: ${call.args.text}`);
      expect(said.filter((text) => text.startsWith(`${USERS.ada}: ⏰ First touch for Augusta King 1`))).toHaveLength(2);
      expect(said).toContain(
        `${USERS.ada}: 🚨 The first touch for Augusta King 1 · Analytical Engines was due Mon 4 Jan, 14:05 GMT and is now late; your manager has been told. The lead is still yours: reach out and log it on the card.`,
      );
      const firstTouchBreach =
        "🚨 SLA breached: first touch of Augusta King 1 · Analytical Engines was due Mon 4 Jan, 14:05 GMT Held by Ada Lovelace (EMEA Sales).";
      expect(said).toContain(`${USERS.grace}: ${firstTouchBreach}`);
      expect(said).toContain(`${ESCALATION}: ${firstTouchBreach}`);
      expect(await t.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({
        status: "accepted",
        ownerRepId: "ada",
      });
    });

    it("/baton sla answers privately with the figures", async () => {
      await offerLead(t, T0);
      now = at(10);
      // The answer comes on the acknowledgement, or through the response URL when that took too long.
      const posted: Record<string, unknown>[] = [];
      nock("https://hooks.slack.com")
        .post("/commands/T0TESTTEAM/1234567890/responseSecret", (reply) => {
          posted.push(reply);
          return true;
        })
        .reply(200, "ok");
      const response = await postToSlackEndpoint(
        t.url,
        slackFixture("slash-command-baton.txt", {
          CHANNEL_ID: CHANNELS.emea,
          USER_ID: USERS.ada,
          USER_NAME: "ada.lovelace",
          TEXT: "sla emea-sales",
        }),
      );
      expect(response.status).toBe(200);
      const raw = await response.text();
      const body = raw
        ? (JSON.parse(raw) as { response_type: string; text: string })
        : await vi.waitFor(() => {
            expect(posted).toHaveLength(1);
            return posted[0] as { response_type: string; text: string };
          });
      expect(body.response_type).toBe("ephemeral");
      expect(body.text).toBe(
        "SLA for EMEA Sales: 1 open clock (1 accept, 0 first touch), 1 at risk in the next business hour, 0 breaches this week.",
      );
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
