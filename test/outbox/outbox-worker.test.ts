import { expect, it } from "vitest";
import {
  type ChatMessage,
  type ChatPort,
  type MessageRef,
  PermanentDeliveryError,
  RateLimitedError,
} from "../../src/domain/chat-message.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { createLogger } from "../../src/logger.ts";
import { notifyDeadLetter } from "../../src/outbox/notify-dead-letter.ts";
import { OutboxWorker } from "../../src/outbox/outbox-worker.ts";
import { enqueueOutbox } from "../../src/repositories/outbox.ts";
import { describeEachDatabase } from "../support/databases.ts";

const message: ChatMessage = { text: "New lead", blocks: [{ type: "text", text: "New lead" }] };
const NOW = new Date("2026-11-25T10:00:00.000Z");

/** A ChatPort whose `post` does what each test scripts, and records every call. */
function fakeSlack(postOutcomes: (() => MessageRef | Error)[] = []) {
  const posted: { conversation: string; text: string }[] = [];
  let next = 0;
  const port: ChatPort = {
    platform: "slack",
    async post(conversation, chatMessage) {
      posted.push({ conversation, text: chatMessage.text });
      const outcome = postOutcomes[next++]?.() ?? { conversation, messageId: `ts-${posted.length}` };
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    async update() {},
    async sendDirect(user) {
      return { conversation: user, messageId: "dm-1" };
    },
    async replyPrivately() {},
  };
  return { port, posted };
}

function workerFor(prisma: PrismaClient, ports: ConstructorParameters<typeof OutboxWorker>[0]["ports"]) {
  return new OutboxWorker({
    prisma,
    ports,
    logger: createLogger("silent"),
    now: () => NOW,
    pacingMs: { slack: 0 },
    sleep: async () => {},
  });
}

async function enqueuePost(prisma: PrismaClient, key: string, conversation = "slack:C1", offerId?: string) {
  await enqueueOutbox(prisma, {
    idempotencyKey: key,
    conversation,
    payload: { kind: "post", message },
    offerId,
    notBefore: new Date(NOW.getTime() - 1_000),
  });
  return prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: key } });
}

describeEachDatabase("outbox worker", (database) => {
  it("delivers a message once and marks it sent", async () => {
    const { prisma } = await database();
    const slack = fakeSlack();
    const row = await enqueuePost(prisma, "k1");
    const worker = workerFor(prisma, { slack: slack.port });
    expect(await worker.drain()).toBe(1);
    expect(await worker.drain()).toBe(0);
    expect(slack.posted).toEqual([{ conversation: "slack:C1", text: "New lead" }]);
    const sent = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(sent).toMatchObject({ status: "sent", lockedUntil: null, lastError: null });
    expect(sent.sentAt).toEqual(NOW);
    expect(sent.result).toEqual({ conversation: "slack:C1", messageId: "ts-1" });
  });

  it("waits Retry-After on a rate limit without counting a failure, and hands back the rest of that conversation", async () => {
    const { prisma } = await database();
    const slack = fakeSlack([() => new RateLimitedError(30_000)]);
    const first = await enqueuePost(prisma, "k1");
    const second = await enqueuePost(prisma, "k2");
    const worker = workerFor(prisma, { slack: slack.port });
    expect(await worker.runOnce()).toBe(0);
    expect(slack.posted).toHaveLength(1);
    const limited = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: first.id } });
    expect(limited).toMatchObject({ status: "pending", attempts: 0, lockedUntil: null });
    expect(limited.nextAttemptAt).toEqual(new Date(NOW.getTime() + 30_000));
    const rest = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: second.id } });
    expect(rest).toMatchObject({ status: "pending", attempts: 0, lockedUntil: null });
    expect(rest.nextAttemptAt).toEqual(second.nextAttemptAt);
  });

  it("backs off after an error and counts the attempt", async () => {
    const { prisma } = await database();
    const slack = fakeSlack([() => new Error("socket hang up")]);
    const row = await enqueuePost(prisma, "k1");
    await workerFor(prisma, { slack: slack.port }).runOnce();
    const retried = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(retried).toMatchObject({ status: "pending", attempts: 1, lastError: "socket hang up", lockedUntil: null });
    // backoffMs(1): 5 s ± 20 % jitter.
    const delay = retried.nextAttemptAt.getTime() - NOW.getTime();
    expect(delay).toBeGreaterThanOrEqual(4_000);
    expect(delay).toBeLessThanOrEqual(6_000);
  });

  it("gives up on a permanent delivery error", async () => {
    const { prisma } = await database();
    const slack = fakeSlack([() => new PermanentDeliveryError("not_in_channel")]);
    const row = await enqueuePost(prisma, "k1");
    const worker = workerFor(prisma, { slack: slack.port });
    await worker.runOnce();
    const failed = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(failed).toMatchObject({ status: "failed", lastError: "not_in_channel" });
    expect(await worker.drain()).toBe(0);
    expect(slack.posted).toHaveLength(1);
  });

  it("records where a posted lead card lives on its offer", async () => {
    const { prisma } = await database();
    await prisma.team.create({
      data: {
        id: "emea",
        name: "EMEA",
        conversation: "slack:C1",
        platform: "slack",
        timezone: "UTC",
        workingHours: {},
      },
    });
    const lead = await prisma.lead.create({
      data: { source: "hubspot", externalId: "1", email: "ada@example.com", rawPayload: {}, teamId: "emea" },
    });
    const offer = await prisma.offer.create({ data: { leadId: lead.id, teamId: "emea", conversation: "slack:C1" } });
    const slack = fakeSlack([() => ({ conversation: "slack:C1", messageId: "1732528800.000100" })]);
    await enqueuePost(prisma, `offer:${offer.id}:post`, "slack:C1", offer.id);
    expect(await workerFor(prisma, { slack: slack.port }).drain()).toBe(1);
    const posted = await prisma.offer.findUniqueOrThrow({ where: { id: offer.id } });
    expect(posted).toMatchObject({ conversation: "slack:C1", messageRef: "1732528800.000100" });
    expect(posted.postedAt).toEqual(NOW);
  });

  it("keeps messages for a platform that is not configured, instead of failing them", async () => {
    const { prisma } = await database();
    const slack = fakeSlack();
    const row = await enqueuePost(prisma, "k1", "teams:19:abc@thread.tacv2");
    expect(await workerFor(prisma, { slack: slack.port }).runOnce()).toBe(0);
    const waiting = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(waiting).toMatchObject({ status: "pending", attempts: 0, lockedUntil: null });
    expect(waiting.lastError).toContain("teams");
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(NOW.getTime());
    expect(slack.posted).toHaveLength(0);
  });
});

describeEachDatabase("dead letters", (database) => {
  it("keeps a message given up on with its error and tells each admin once; a failed notice is not announced", async () => {
    const { prisma } = await database();
    const slack = fakeSlack([
      () => new PermanentDeliveryError("Slack chat.postMessage failed: channel_not_found"),
      () => new PermanentDeliveryError("Slack chat.postMessage failed: channel_not_found"),
    ]);
    const admins = ["slack:UADMIN", "console:ops"];
    const directs: { user: string; text: string }[] = [];
    const console: ChatPort = {
      platform: "console",
      post: async (conversation) => ({ conversation, messageId: "1" }),
      update: async () => {},
      sendDirect: async (user, chatMessage) => {
        directs.push({ user, text: chatMessage.text });
        return { conversation: user, messageId: "1" };
      },
      replyPrivately: async () => {},
    };
    slack.port.sendDirect = async (user, chatMessage) => {
      directs.push({ user, text: chatMessage.text });
      throw new PermanentDeliveryError("Slack chat.postMessage failed: user_not_found");
    };
    const worker = new OutboxWorker({
      prisma,
      ports: { slack: slack.port, console },
      logger: createLogger("silent"),
      now: () => NOW,
      pacingMs: { slack: 0 },
      sleep: async () => {},
      onDeadLetter: (id) => notifyDeadLetter(prisma, admins, id, NOW),
    });
    const dead = await enqueuePost(prisma, "card-1", "slack:CGONE");
    await worker.drain();
    // Run the announcement again (a second replica, a restart): nobody is told twice.
    expect(await notifyDeadLetter(prisma, admins, dead.id, NOW)).toBe(false);
    await worker.drain();

    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({
      status: "failed",
      lastError: "Slack chat.postMessage failed: channel_not_found",
    });
    expect(directs.map((direct) => direct.user)).toEqual(["slack:UADMIN", "console:ops"]);
    expect(directs[1].text).toBe(
      `Baton gave up on delivering a message (post to slack:CGONE) after 1 attempt(s): Slack chat.postMessage failed: channel_not_found. It is kept as outbox message ${dead.id}.`,
    );
    // The Slack admin's notice failed for good: kept, but not announced in turn.
    expect(await prisma.outboxMessage.count({ where: { status: "failed" } })).toBe(2);
    expect(await prisma.outboxMessage.count()).toBe(3);
  });
});
