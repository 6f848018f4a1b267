/**
 * TeamsChat, the port the outbox delivers through, against a local fake of the Bot Connector: posts, thread
 * replies, updates and direct messages reach the right conversation, and the connector's answers become the outbox's
 * vocabulary (rate limited, retry later, give up).
 */
import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { type ChatMessage, PermanentDeliveryError, RateLimitedError } from "../../src/domain/chat-message.ts";
import type { HandoffService } from "../../src/handoff/handoff-types.ts";
import { findConversationRef, saveConversationRef } from "../../src/repositories/conversation-refs.ts";
import { createTeamsAdapter } from "../../src/teams/index.ts";
import type { TeamsChat } from "../../src/teams/teams-chat.ts";
import { describeEachDatabase } from "../support/databases.ts";
import {
  APP_ID,
  CHANNELS,
  cardOf,
  fakeLoginAuthority,
  generateSigningKey,
  LOGIN_HOST,
  seenOnCard,
  startFakeBotFramework,
  TENANT_ID,
  TOKEN_ISSUER,
  USERS,
} from "./teams-test-kit.ts";

const message: ChatMessage = { text: "Hello team", blocks: [{ type: "text", text: "*Hello* team" }] };
const key = generateSigningKey("teams-chat-key");

/** The outbound port never asks the handoff anything. */
const noHandoff = new Proxy({} as HandoffService, {
  get: (_target, name) => () => {
    throw new Error(`TeamsChat must not call handoff.${String(name)}`);
  },
});

describeEachDatabase("TeamsChat", (database) => {
  let fake: Awaited<ReturnType<typeof startFakeBotFramework>>;
  let chat: TeamsChat;
  let prisma: Awaited<ReturnType<typeof database>>["prisma"];

  beforeEach(async () => {
    nock.cleanAll();
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    fakeLoginAuthority();
    fake = await startFakeBotFramework(key);
    prisma = (await database()).prisma;
    chat = createTeamsAdapter({
      teams: { appId: APP_ID, appPassword: "not-a-real-secret", tenantId: TENANT_ID, appType: "SingleTenant" },
      botFramework: {
        openIdMetadataUrl: `${fake.url}/openid`,
        tokenIssuer: TOKEN_ISSUER,
        loginUrl: `${LOGIN_HOST}/${TENANT_ID}`,
      },
      prisma,
      handoff: noHandoff,
      answerCommand: async () => {
        throw new Error("no commands in this test");
      },
      logger: pino({ level: "silent" }),
    }).port;
  });

  afterEach(async () => {
    await fake.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  /** What Baton stores when it is installed in a channel. */
  async function installedIn(channel: string, serviceUrl = fake.serviceUrl) {
    await saveConversationRef(prisma, {
      conversation: `teams:${channel}`,
      platform: "teams",
      name: "Sales › EMEA",
      reference: {
        channelId: "msteams",
        serviceUrl,
        bot: { id: `28:${APP_ID}`, name: "Baton" },
        conversation: { id: channel, conversationType: "channel", isGroup: true, tenantId: TENANT_ID },
      },
    });
  }

  it("posts a new message with the Adaptive Card to the stored conversation, with Baton's own token", async () => {
    await installedIn(CHANNELS.emea);
    const ref = await chat.post(`teams:${CHANNELS.emea}`, message);

    expect(ref).toEqual({ conversation: `teams:${CHANNELS.emea}`, messageId: "activity-1" });
    const [call] = fake.calls;
    expect(call).toMatchObject({ method: "POST", conversation: CHANNELS.emea });
    expect(call.path).toBe(`/v3/conversations/${encodeURIComponent(CHANNELS.emea)}/activities`);
    expect(call.authorization).toBe("Bearer baton-outbound-token");
    // A new post, not a reply to whatever was said last in the channel.
    expect(call.body.replyToId).toBeUndefined();
    expect(call.body.summary).toBe("Hello team");
    expect(seenOnCard(cardOf(call.body))).toBe("**Hello** team");
  });

  it("replies in the thread of a posted card", async () => {
    await installedIn(CHANNELS.emea);
    await chat.post(`teams:${CHANNELS.emea}`, message, {
      threadOf: { conversation: `teams:${CHANNELS.emea}`, messageId: "1700000000001" },
    });
    expect(fake.calls.map((call) => call.conversation)).toEqual([`${CHANNELS.emea};messageid=1700000000001`]);
  });

  it("updates a posted card in place", async () => {
    await installedIn(CHANNELS.emea);
    await chat.update({ conversation: `teams:${CHANNELS.emea}`, messageId: "activity-7" }, message);
    const [call] = fake.calls;
    expect(call.method).toBe("PUT");
    expect(call.path).toBe(`/v3/conversations/${encodeURIComponent(CHANNELS.emea)}/activities/activity-7`);
    expect(seenOnCard(cardOf(call.body))).toBe("**Hello** team");
  });

  it("opens a personal chat for a direct message, and remembers it", async () => {
    await installedIn(CHANNELS.emea);
    const ref = await chat.sendDirect(`teams:${USERS.ada.aad}`, message);

    const [create, post] = fake.calls;
    expect(create).toMatchObject({ method: "POST", path: "/v3/conversations" });
    expect(create.body).toMatchObject({ isGroup: false, members: [{ id: USERS.ada.aad }], tenantId: TENANT_ID });
    const dm = `a:dm-${USERS.ada.aad}`;
    expect(post).toMatchObject({ method: "POST", conversation: dm });
    expect(ref).toEqual({ conversation: `teams:${dm}`, messageId: "activity-1" });
    expect(await findConversationRef(prisma, `teams:${dm}`)).toMatchObject({ platform: "teams" });
  });

  it("replies privately as a direct message: Teams has no message only one person sees in a channel", async () => {
    await installedIn(CHANNELS.emea);
    await chat.replyPrivately(`teams:${CHANNELS.emea}`, `teams:${USERS.grace.aad}`, message);
    expect(fake.calls.map((call) => call.conversation ?? call.path)).toEqual([
      "/v3/conversations",
      `a:dm-${USERS.grace.aad}`,
    ]);
  });

  it("turns 429 into a rate limit with Teams' Retry-After", async () => {
    await installedIn(CHANNELS.emea);
    fake.failNextCall(429, { "retry-after": "7" });
    const error = await chat.post(`teams:${CHANNELS.emea}`, message).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7_000);
  });

  it("leaves a 5xx to the outbox's retries", async () => {
    await installedIn(CHANNELS.emea);
    fake.failNextCall(503);
    const error = await chat.post(`teams:${CHANNELS.emea}`, message).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error).not.toBeInstanceOf(RateLimitedError);
    expect(String(error)).toContain("HTTP 503");
  });

  it.each([403, 404])("gives up on %i: the bot is not in that conversation (any more)", async (status) => {
    await installedIn(CHANNELS.emea);
    fake.failNextCall(status);
    await expect(chat.update({ conversation: `teams:${CHANNELS.emea}`, messageId: "1" }, message)).rejects.toThrow(
      PermanentDeliveryError,
    );
  });

  it("waits for an install instead of giving up when no conversation is known yet", async () => {
    const error = await chat.post(`teams:${CHANNELS.emea}`, message).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(String(error)).toMatch(/no conversation reference/);
    await expect(chat.sendDirect(`teams:${USERS.ada.aad}`, message)).rejects.toThrow(/install the app/);
    expect(fake.calls).toEqual([]);
  });

  it("posts to another channel of a team it is in with that team's reference", async () => {
    await installedIn(CHANNELS.emea);
    await chat.post(`teams:${CHANNELS.na}`, message);
    expect(fake.calls.map((call) => call.conversation)).toEqual([CHANNELS.na]);
  });

  it("keeps trying a channel it only guessed a reference for, when Teams says the bot is not there (yet)", async () => {
    await installedIn(CHANNELS.emea);
    fake.failNextCall(403);
    const guessed = await chat.post(`teams:${CHANNELS.na}`, message).catch((caught: unknown) => caught);
    expect(guessed).toBeInstanceOf(Error);
    expect(guessed).not.toBeInstanceOf(PermanentDeliveryError);
    expect(String(guessed)).toMatch(/HTTP 403: Baton may not have been added to this channel's team yet/);
  });

  it("refuses ids of another platform for good", async () => {
    await expect(chat.post("slack:C0123", message)).rejects.toThrow(PermanentDeliveryError);
  });
});
