/** `/baton outbox` (admins): lists what is stuck and what was given up on; `outbox retry <id>` queues one again. */
import { pino } from "pino";
import { expect, it } from "vitest";
import { createCommandAnswerer } from "../../src/commands/answer-command.ts";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { createLogger } from "../../src/logger.ts";
import { OutboxWorker } from "../../src/outbox/outbox-worker.ts";
import { claimDueOutbox, enqueueOutbox } from "../../src/repositories/outbox.ts";
import { describeEachDatabase } from "../support/databases.ts";

const NOW = new Date("2026-11-25T10:00:00.000Z");
const config = parseBatonConfig(`
teams:
  - { id: emea, name: EMEA Sales, channel: "slack:CEMEA", reps: [{ id: ada, name: Ada Lovelace }] }
routing: { fallbackTeam: emea }
admins: ["slack:UBOSS"]
`);

async function queue(prisma: PrismaClient, key: string, data: Record<string, unknown> = {}) {
  await enqueueOutbox(prisma, {
    idempotencyKey: key,
    conversation: "slack:CEMEA",
    payload: { kind: "post", message: { text: key, blocks: [] } },
    notBefore: NOW,
  });
  return prisma.outboxMessage.update({ where: { idempotencyKey: key }, data });
}

describeEachDatabase("/baton outbox", (database) => {
  it("lists dead letters and stuck messages to admins only, and retries one, which then goes out", async () => {
    const { prisma } = await database();
    const answer = createCommandAnswerer({
      prisma,
      batonConfig: () => config,
      logger: pino({ level: "silent" }),
      now: () => NOW,
    });
    expect((await answer("outbox", "slack:UBOSS")).text).toBe("Outbox: nothing stuck, nothing given up on.");

    const dead = await queue(prisma, "dead", {
      status: "failed",
      attempts: 8,
      lastError: "Slack chat.postMessage failed: channel_not_found",
      createdAt: new Date(NOW.getTime() - 3 * 3_600_000),
    });
    const retrying = await queue(prisma, "retrying", {
      attempts: 2,
      lastError: "Slack chat.postMessage failed: HTTP 503",
      nextAttemptAt: new Date(NOW.getTime() + 20_000),
      createdAt: new Date(NOW.getTime() - 60_000),
    });
    const waiting = await queue(prisma, "waiting-long", {
      nextAttemptAt: new Date(NOW.getTime() - 10 * 60_000),
      createdAt: new Date(NOW.getTime() - 10 * 60_000),
    });
    await queue(prisma, "fresh"); // due now, no attempt yet: not stuck
    await queue(prisma, "done", { status: "sent" });

    expect((await answer("outbox", "slack:UADA")).text).toBe(
      "Only Baton admins can run outbox (see admins in the configuration file).",
    );
    expect((await answer("outbox", "slack:UBOSS")).text).toBe(
      [
        "Given up on (1)",
        `• ${dead.id} post to slack:CEMEA, queued 3 h ago, 8 attempt(s): Slack chat.postMessage failed: channel_not_found`,
        "",
        "Stuck (2)",
        `• ${waiting.id} post to slack:CEMEA, queued 10 min ago, 0 attempt(s)`,
        `• ${retrying.id} post to slack:CEMEA, queued 1 min ago, 2 attempt(s): Slack chat.postMessage failed: HTTP 503`,
        "",
        "outbox retry <message id> tries one again now.",
      ].join("\n"),
    );

    expect((await answer("outbox retry nonsense", "slack:UBOSS")).text).toBe(
      "No outbox message nonsense. outbox lists them with their ids.",
    );
    expect((await answer(`outbox retry ${dead.id}`, "slack:UADA")).text).toContain("Only Baton admins");
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({
      status: "failed",
    });
    expect((await answer(`outbox retry ${dead.id}`, "slack:UBOSS")).text).toBe(
      `Outbox message ${dead.id} (post to slack:CEMEA) is queued again and goes out within seconds.`,
    );
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: NOW,
      lastError: "Slack chat.postMessage failed: channel_not_found",
    });
    const done = await prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "done" } });
    expect((await answer(`outbox retry ${done.id}`, "slack:UBOSS")).text).toBe(
      `Outbox message ${done.id} was delivered already: nothing to retry.`,
    );

    // A message a worker holds right now is not reset under it.
    await claimDueOutbox(prisma, { limit: 10, leaseMs: 60_000, now: NOW });
    expect((await answer(`outbox retry ${waiting.id}`, "slack:UBOSS")).text).toBe(
      `Outbox message ${waiting.id} changed meanwhile; run outbox again.`,
    );
    await prisma.outboxMessage.updateMany({ data: { lockedUntil: null } });

    // The retried dead letter goes out with the next pass.
    const posted: string[] = [];
    const worker = new OutboxWorker({
      prisma,
      ports: {
        slack: {
          platform: "slack",
          post: async (conversation, message) => {
            posted.push(message.text);
            return { conversation, messageId: `ts-${message.text}` };
          },
          update: async () => {},
          sendDirect: async (user) => ({ conversation: user, messageId: "dm" }),
          replyPrivately: async () => {},
        },
      },
      logger: createLogger("silent"),
      now: () => NOW,
      pacingMs: { slack: 0 },
    });
    await worker.drain();
    expect(posted).toContain("dead");
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({ status: "sent" });
  });
});
