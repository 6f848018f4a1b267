/**
 * The SLA sweep on Teams, through the real job runner with an injected clock and the fake Bot Connector: reminders
 * at 50 % and 90 % as replies on the card's conversation, then the breach (card withdrawn, manager's DM, the
 * escalation note, the re-offer), once each however often the sweep runs. And `sla` in a channel answers with a card.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADA, postSigned } from "../intake/intake-support.ts";
import type { TestBaton } from "../support/start-baton.ts";
import {
  APP_ID,
  CHANNELS,
  cardOf,
  channelToken,
  type FakeBotFramework,
  generateSigningKey,
  installBaton,
  postActivity,
  seenOnCard,
  startTeamsTestBaton,
  TENANT_ID,
  teamsFixture,
  teamsTestConfig,
  USERS,
} from "./teams-test-kit.ts";

const key = generateSigningKey("baton-test-key");

function slaConfig() {
  const config = teamsTestConfig();
  config.teams[0].manager = "grace";
  config.sla.policies[0] = {
    ...config.sla.policies[0],
    remindAt: [0.5, 0.9],
    escalateTo: `teams:${CHANNELS.marketing}`,
    reassignOnBreach: true,
  };
  return config;
}

describe("SLA sweep on Teams", () => {
  let t: TestBaton;
  let fake: FakeBotFramework;
  let stop: () => Promise<void>;
  let offset = 0;

  beforeEach(async () => {
    offset = 0;
    ({ t, fake, stop } = await startTeamsTestBaton(key, {
      batonConfig: slaConfig(),
      now: () => new Date(Date.now() + offset),
    }));
  });

  afterEach(() => stop());

  const bearer = () => `Bearer ${channelToken(key, fake.serviceUrl)}`;
  const common = () => ({ SERVICE_URL: fake.serviceUrl, TENANT_ID, APP_ID });

  async function installIn(conversation: string) {
    expect(await installBaton(t.url, key, fake.serviceUrl, conversation)).toBe(200);
  }

  it("replies on the card at 50 % and 90 %, then withdraws it, tells the manager, escalates and re-offers: once each", async () => {
    await installIn(CHANNELS.emea);
    await installIn(CHANNELS.marketing);
    const intake = await postSigned(t.url, ADA);
    expect(intake.status).toBe(202);
    await t.baton.outbox.drain();
    const leadId = String(intake.body.leadId);
    const clock = await t.db.prisma.slaClock.findFirstOrThrow({ where: { leadId, kind: "accept" } });
    const cardId = (await t.db.prisma.offer.findFirstOrThrow({ where: { leadId } })).messageRef;
    expect(cardId).toMatch(/^activity-/);

    // What each sweep caused, by the minute it ran at. Within one sweep, messages to different conversations go out
    // in parallel, so their order there is not part of the contract.
    const bySweep: [number, string[]][] = [];
    const cards: Record<string, string> = {};
    for (const minutes of [14, 15, 15, 27, 30, 30]) {
      const at = new Date(clock.startedAt.getTime() + minutes * 60_000);
      offset = at.getTime() - Date.now();
      const from = fake.calls.length;
      expect(await t.baton.jobs.runOnce(t.baton.slaSweep, at)).toBe("ran");
      await t.baton.outbox.drain();
      const lines = fake.calls.slice(from).map((call) => {
        const line = `${call.method} ${call.conversation ?? "(new chat)"}`;
        if (call.body.attachments) cards[line] = seenOnCard(cardOf(call.body));
        return line;
      });
      bySweep.push([minutes, lines.sort()]);
    }
    const reply = `POST ${CHANNELS.emea};messageid=${cardId}`;
    expect(bySweep).toEqual([
      [14, []],
      [15, [reply]],
      [15, []],
      [27, [reply]],
      [
        30,
        [
          "POST (new chat)",
          `POST ${CHANNELS.emea}`,
          `POST ${CHANNELS.marketing}`,
          `POST a:dm-${USERS.grace.aad}`,
          `PUT ${CHANNELS.emea}`,
        ].sort(),
      ],
      [30, []],
    ]);
    const replies = fake.calls.filter((call) => call.conversation === `${CHANNELS.emea};messageid=${cardId}`);
    expect(seenOnCard(cardOf(replies[0].body))).toContain("still needs an owner: 15 of 30 business minutes gone");
    expect(seenOnCard(cardOf(replies[0].body))).toContain("[button: Accept]");
    expect(seenOnCard(cardOf(replies[1].body))).toContain("27 of 30 business minutes gone");
    expect(cards[`PUT ${CHANNELS.emea}`]).toContain("Not accepted in time: re-offered");
    expect(cards[`PUT ${CHANNELS.emea}`]).not.toContain("[button:");
    expect(cards[`POST a:dm-${USERS.grace.aad}`]).toContain(
      "SLA breached: accept of Ada Lovelace · Analytical Engines",
    );
    expect(cards[`POST ${CHANNELS.marketing}`]).toContain("Re-offered to EMEA Sales (suggested: Charles Babbage).");
    expect(cards[`POST ${CHANNELS.emea}`]).toContain("New lead: Ada Lovelace · Analytical Engines");
    expect(cards[`POST ${CHANNELS.emea}`]).toContain("[button: Accept]");
  }, 300_000); // Eight sweeps and deliveries on a loaded two-core machine: far over the usual budget, never timed.

  it("answers `sla` in the channel with a card of the figures", async () => {
    await installIn(CHANNELS.emea);
    expect((await postSigned(t.url, ADA)).status).toBe(202);
    await t.baton.outbox.drain();
    const before = fake.posts().length;
    const message = teamsFixture("message-mention.json", {
      ...common(),
      CONVERSATION_ID: CHANNELS.emea,
      AAD_ID: USERS.ada.aad,
      USER_NAME: USERS.ada.name,
      TEXT: "sla emea-sales",
    });
    expect((await postActivity(t.url, message, bearer())).status).toBe(200);
    const [answer] = fake.posts().slice(before);
    const seen = seenOnCard(cardOf(answer.body));
    expect(seen).toContain("SLA: EMEA Sales");
    expect(seen).toContain("Waiting for accept: 1");
    expect(seen).toContain("At risk (next business hour): 1");
    expect(seen).toContain("Breaches this week: 0");
    expect(seen).toContain("Ada Lovelace · Analytical Engines: accept due");
  });
});
