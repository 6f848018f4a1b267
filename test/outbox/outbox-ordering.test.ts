/**
 * A lead's messages in order, whatever Slack does meanwhile: outages, 500s, rate limits. Through the real Slack
 * port against the fake Slack Web API, on a fake clock (no real waiting).
 */
import { randomUUID } from "node:crypto";
import nock from "nock";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { createLogger } from "../../src/logger.ts";
import { OutboxWorker } from "../../src/outbox/outbox-worker.ts";
import { enqueueOutbox } from "../../src/repositories/outbox.ts";
import { SlackChat } from "../../src/slack/slack-chat.ts";
import { fakeSlackApi, SLACK_API_HOST } from "../slack/slack-test-kit.ts";
import { describeEachDatabase } from "../support/databases.ts";

const T0 = new Date("2026-11-25T10:00:00.000Z");
const logger = createLogger("silent");
const text = (label: string) => ({ text: label, blocks: [] });

function worker(prisma: PrismaClient, now: () => Date) {
  return new OutboxWorker({
    prisma,
    ports: { slack: new SlackChat({ botToken: "xoxb-test-token", apiUrl: `${SLACK_API_HOST}/api/`, logger }) },
    logger,
    now,
    pacingMs: { slack: 0 },
    sleep: async () => {},
  });
}

/** A lead's card, then (written while the card still waits) the withdrawal of it and a re-offer elsewhere. */
async function enqueueLeadStory(prisma: PrismaClient, lead: string, channel: string) {
  const leadId = randomUUID();
  const card = { conversation: `slack:${channel}`, messageId: `${lead}-card-ts` };
  await enqueueOutbox(prisma, {
    idempotencyKey: `${lead}:post`,
    conversation: card.conversation,
    payload: { kind: "post", message: text(`${lead} card`) },
    leadId,
    notBefore: T0,
  });
  await enqueueOutbox(prisma, {
    idempotencyKey: `${lead}:withdrawn`,
    conversation: card.conversation,
    payload: { kind: "update", ref: card, message: text(`${lead} withdrawn`) },
    leadId,
    notBefore: T0,
  });
  await enqueueOutbox(prisma, {
    idempotencyKey: `${lead}:reoffer`,
    conversation: "slack:C0OTHER",
    payload: { kind: "post", message: text(`${lead} re-offer`) },
    leadId,
    notBefore: T0,
  });
}

/** What reached Slack successfully, in the order Slack took it. */
function delivered(slack: ReturnType<typeof fakeSlackApi>) {
  return slack.calls
    .filter((call) => ["chat.postMessage", "chat.update"].includes(call.method) && call.response?.ok)
    .map((call) => String(call.args.text));
}

describeEachDatabase("outbox: per-lead order", (database) => {
  beforeEach(() => {
    nock.cleanAll();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("claims only a lead's oldest undelivered message: the update waits for the post, the re-offer for both", async () => {
    const { prisma } = await database();
    const slack = fakeSlackApi();
    await enqueueLeadStory(prisma, "ada", "C0EMEA");
    const outbox = worker(prisma, () => T0);
    expect(await outbox.runOnce()).toBe(1);
    expect(delivered(slack)).toEqual(["ada card"]);
    expect(await outbox.runOnce()).toBe(1);
    expect(await outbox.runOnce()).toBe(1);
    expect(delivered(slack)).toEqual(["ada card", "ada withdrawn", "ada re-offer"]);
  });

  it("Slack down for five minutes: every card goes out later, each lead's messages in order", async () => {
    const { prisma } = await database();
    let now = T0;
    const backAt = T0.getTime() + 5 * 60_000;
    const slack = fakeSlackApi({
      // Half the outage answers 503, half hangs up: neither says whether Slack took the post.
      outage: () =>
        now.getTime() < backAt
          ? { status: now.getTime() % 2 === 0 ? 503 : 500, body: "Service Unavailable" }
          : undefined,
    });
    const leads = ["ada", "grace", "charles", "margaret"];
    for (const [i, lead] of leads.entries()) await enqueueLeadStory(prisma, lead, `C0TEAM${i % 2}`);
    const outbox = worker(prisma, () => now);
    const sentAt: Date[] = [];
    while (now.getTime() < T0.getTime() + 30 * 60_000) {
      if ((await outbox.drain()) > 0) sentAt.push(now);
      if ((await prisma.outboxMessage.count({ where: { status: { not: "sent" } } })) === 0) break;
      now = new Date(now.getTime() + 5_000);
    }
    expect(await prisma.outboxMessage.count({ where: { status: "sent" } })).toBe(leads.length * 3);
    expect(sentAt[0].getTime()).toBeGreaterThanOrEqual(backAt);
    const order = delivered(slack);
    for (const lead of leads) {
      const mine = order.filter((label) => label.startsWith(`${lead} `));
      expect(mine).toEqual([`${lead} card`, `${lead} withdrawn`, `${lead} re-offer`]);
    }
    // Each card once: posts whose answer was a 5xx were looked for before being posted again.
    expect(slack.posted.map((message) => String(message.text)).sort()).toEqual(
      leads.flatMap((lead) => [`${lead} card`, `${lead} re-offer`]).sort(),
    );
  });

  it("Slack answering 500, then 429 with Retry-After, then 200: one card, posted after the wait", async () => {
    const { prisma } = await database();
    const slack = fakeSlackApi();
    slack.failNext("chat.postMessage", { status: 500, body: "Internal Server Error" });
    slack.failNext("chat.postMessage", {
      status: 429,
      body: { ok: false, error: "ratelimited" },
      headers: { "Retry-After": "30" },
    });
    await enqueueOutbox(prisma, {
      idempotencyKey: "card",
      conversation: "slack:C0EMEA",
      payload: { kind: "post", message: text("the card") },
      leadId: randomUUID(),
      notBefore: T0,
    });
    let now = T0;
    const outbox = worker(prisma, () => now);
    const row = () => prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "card" } });

    expect(await outbox.runOnce()).toBe(0); // 500: backs off 5 s ± 20 %
    expect(await row()).toMatchObject({ status: "pending", attempts: 1, attemptStartedAt: T0 });
    now = new Date(T0.getTime() + 7_000);
    expect(await outbox.runOnce()).toBe(0); // looks for the first attempt's post, finds none, posts: 429
    const limitedAt = now;
    expect((await row()).nextAttemptAt).toEqual(new Date(limitedAt.getTime() + 30_000));
    now = new Date(limitedAt.getTime() + 29_000);
    expect(await outbox.runOnce()).toBe(0); // still waiting
    expect(slack.callsTo("chat.postMessage")).toHaveLength(2);
    now = new Date(limitedAt.getTime() + 30_000);
    expect(await outbox.runOnce()).toBe(1);

    expect(slack.callsTo("chat.postMessage").map((call) => call.response?.ok ?? false)).toEqual([false, false, true]);
    // One look-up, after the 500 (which may have posted); none after the 429 (which says it did not).
    expect(slack.callsTo("conversations.history")).toHaveLength(1);
    expect(slack.posted.map((message) => message.text)).toEqual(["the card"]);
    expect(await row()).toMatchObject({ status: "sent", attempts: 1, sentAt: new Date(limitedAt.getTime() + 30_000) });
  });
});
