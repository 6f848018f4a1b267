/**
 * What happens around a click in Teams, through the real HTTP server with signed activities: conversation
 * references follow the conversation (stored on install, refreshed by any message, forgotten on removal), and an
 * accept reaches everyone (the card updated in place via the outbox, the rep's direct message, a refreshed view).
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADA, postSigned } from "../intake/intake-support.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";
import {
  APP_ID,
  CHANNELS,
  cardOf,
  channelToken,
  type FakeBotFramework,
  fakeLoginAuthority,
  generateSigningKey,
  postActivity,
  seenOnCard,
  startFakeBotFramework,
  TENANT_ID,
  teamsEnv,
  teamsFixture,
  teamsTestConfig,
  USERS,
} from "./teams-test-kit.ts";

const key = generateSigningKey("teams-conversations-key");

describe("Teams conversations", () => {
  let t: TestBaton;
  let fake: FakeBotFramework;
  const extraFakes: FakeBotFramework[] = [];

  beforeEach(async () => {
    nock.cleanAll();
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    fakeLoginAuthority();
    fake = await startFakeBotFramework(key);
    t = await startTestBaton({ env: teamsEnv(fake), batonConfig: teamsTestConfig() });
  });

  afterEach(async () => {
    await t.stop();
    for (const server of [fake, ...extraFakes.splice(0)]) await server.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  /** Sends an activity from `region` (its service URL), signed for it as the Bot Framework does. */
  async function send(fixture: string, values: Record<string, unknown>, region = fake) {
    const activity = teamsFixture(fixture, { SERVICE_URL: region.serviceUrl, TENANT_ID, APP_ID, ...values });
    const response = await postActivity(t.url, activity, `Bearer ${channelToken(key, region.serviceUrl)}`);
    expect(response.status).toBe(200);
    return response;
  }

  const storedReference = async (channel: string) =>
    (await t.db.prisma.conversationRef.findUnique({ where: { conversation: `teams:${channel}` } }))?.reference as
      | { serviceUrl: string; conversation: { id: string }; activityId?: string }
      | undefined;

  it("refuses activities from a tenant not allowed with 403, stores nothing, and logs it", async () => {
    const otherTenant = "0badc0de-0000-4000-8000-000000000000";
    for (const [fixture, values] of [
      ["conversation-update-bot-added.json", { CONVERSATION_ID: CHANNELS.emea }],
      [
        "message-mention.json",
        { CONVERSATION_ID: CHANNELS.emea, AAD_ID: USERS.ada.aad, USER_NAME: USERS.ada.name, TEXT: "help" },
      ],
    ] as const) {
      const activity = teamsFixture(fixture, {
        SERVICE_URL: fake.serviceUrl,
        APP_ID,
        ...values,
        TENANT_ID: otherTenant,
      });
      const response = await postActivity(t.url, activity, `Bearer ${channelToken(key, fake.serviceUrl)}`);
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: "forbidden" });
    }
    expect(await t.db.prisma.conversationRef.count()).toBe(0);
    expect(fake.calls).toEqual([]);
    // The app's own tenant (the default allow-list) is served.
    await send("conversation-update-bot-added.json", { CONVERSATION_ID: CHANNELS.emea });
    expect(await t.db.prisma.conversationRef.count()).toBe(1);
  });

  it("remembers a channel on install, follows its service URL on any message, and forgets it on removal", async () => {
    await send("conversation-update-bot-added.json", { CONVERSATION_ID: CHANNELS.emea });
    const stored = await t.db.prisma.conversationRef.findUniqueOrThrow({
      where: { conversation: `teams:${CHANNELS.emea}` },
    });
    expect(stored).toMatchObject({ platform: "teams", name: "EMEA Sales" });

    // Teams moved the conversation to another region: a reply in a thread arrives from a new service URL.
    const moved = await startFakeBotFramework(key);
    extraFakes.push(moved);
    await send(
      "message-mention.json",
      { CONVERSATION_ID: CHANNELS.emea, AAD_ID: USERS.ada.aad, USER_NAME: USERS.ada.name, TEXT: "help" },
      moved,
    );
    const refreshed = await storedReference(CHANNELS.emea);
    expect(refreshed?.serviceUrl).toBe(moved.serviceUrl);
    // Stored for the channel, not the thread, and not as a reply to what was said.
    expect(refreshed?.conversation.id).toBe(CHANNELS.emea);
    expect(refreshed?.activityId).toBeUndefined();
    expect(await t.db.prisma.conversationRef.count()).toBe(1);

    // The next card goes to the new region.
    expect((await postSigned(t.url, ADA)).status).toBe(202);
    await t.baton.outbox.drain();
    expect(moved.posts().map((call) => call.conversation)).toEqual([
      `${CHANNELS.emea};messageid=1700000000123`, // the help card, in the thread it was asked in
      CHANNELS.emea, // the lead card, as a new post in the channel
    ]);
    expect(fake.posts()).toEqual([]);

    const removal = teamsFixture("conversation-update-bot-added.json", {
      SERVICE_URL: moved.serviceUrl,
      TENANT_ID,
      APP_ID,
      CONVERSATION_ID: CHANNELS.emea,
    });
    const { membersAdded, ...rest } = removal;
    const response = await postActivity(
      t.url,
      { ...rest, membersRemoved: membersAdded, channelData: { eventType: "teamMemberRemoved" } },
      `Bearer ${channelToken(key, moved.serviceUrl)}`,
    );
    expect(response.status).toBe(200);
    expect(await storedReference(CHANNELS.emea)).toBeUndefined();
  });

  it("does not write an unchanged reference again on every activity, but always on install", async () => {
    await send("conversation-update-bot-added.json", { CONVERSATION_ID: CHANNELS.emea });
    const mention = { CONVERSATION_ID: CHANNELS.emea, AAD_ID: USERS.ada.aad, USER_NAME: USERS.ada.name, TEXT: "help" };
    await send("message-mention.json", mention);
    const where = { conversation: `teams:${CHANNELS.emea}` };
    const first = await t.db.prisma.conversationRef.findUniqueOrThrow({ where });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await send("message-mention.json", mention);
    expect((await t.db.prisma.conversationRef.findUniqueOrThrow({ where })).updatedAt).toEqual(first.updatedAt);

    // Gone from the database (another replica saw the bot removed, say): the next install stores it again.
    await t.db.prisma.conversationRef.deleteMany();
    await send("conversation-update-bot-added.json", { CONVERSATION_ID: CHANNELS.emea });
    expect(await t.db.prisma.conversationRef.count()).toBe(1);
  });

  it("on accept, updates the posted card for everyone, DMs the rep, and refreshes to the card as it stands", async () => {
    await send("conversation-update-bot-added.json", { CONVERSATION_ID: CHANNELS.emea });
    const intake = await postSigned(t.url, ADA);
    const leadId = String(intake.body.leadId);
    await t.baton.outbox.drain();
    const [post] = fake.posts();
    expect(post.conversation).toBe(CHANNELS.emea);
    const before = fake.calls.length;

    const click = (verb: string, user: { aad: string; name: string }, trigger = "manual") => {
      const values = {
        CONVERSATION_ID: CHANNELS.emea,
        MESSAGE_ID: "activity-1",
        VERB: verb,
        DATA: { leadId },
        AAD_ID: user.aad,
        USER_NAME: user.name,
      };
      const activity = teamsFixture("invoke-adaptive-card-action.json", {
        SERVICE_URL: fake.serviceUrl,
        TENANT_ID,
        APP_ID,
        ...values,
      });
      const value = activity.value as Record<string, unknown>;
      return postActivity(
        t.url,
        { ...activity, value: { ...value, trigger } },
        `Bearer ${channelToken(key, fake.serviceUrl)}`,
      );
    };
    expect((await click("lead_accept", USERS.ada)).status).toBe(200);
    await t.baton.outbox.drain();

    const delivered = fake.calls.slice(before);
    const update = delivered.find((call) => call.method === "PUT");
    expect(update?.path).toBe(`/v3/conversations/${encodeURIComponent(CHANNELS.emea)}/activities/activity-1`);
    const everyoneSees = seenOnCard(cardOf(update?.body ?? {}));
    expect(everyoneSees).toContain("**Accepted by Ada Lovelace**");
    expect(everyoneSees).not.toContain("[button: Accept]");

    const opened = delivered.find((call) => call.method === "POST" && call.path === "/v3/conversations");
    expect(opened?.body).toMatchObject({ members: [{ id: USERS.ada.aad }], tenantId: TENANT_ID });
    const dm = delivered.find((call) => call.conversation === `a:dm-${USERS.ada.aad}`);
    expect(seenOnCard(cardOf(dm?.body ?? {}))).toContain("ada@example.com");

    // Anyone viewing the card later (Teams' automatic refresh) gets the card as it stands, without a notice.
    const refreshed = await click("lead_refresh", USERS.grace, "automatic");
    const body = refreshed.body as { statusCode: number; type: string; value: unknown };
    expect(body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    const seen = seenOnCard(body.value);
    expect(seen.split("\n")[0]).toBe("Lead: Ada Lovelace · Analytical Engines");
    expect(seen).toContain("**Accepted by Ada Lovelace**");
    expect((await t.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).ownerRepId).toBe("ada");
  });
});
