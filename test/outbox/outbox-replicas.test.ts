/**
 * The outbox under several replicas, and its give-up rule. Each worker here has its own database client, as two
 * Baton processes would; on PostgreSQL they really race for rows.
 */
import { expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import type { ChatPort } from "../../src/domain/chat-message.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { createLogger } from "../../src/logger.ts";
import { OutboxWorker } from "../../src/outbox/outbox-worker.ts";
import { enqueueOutbox } from "../../src/repositories/outbox.ts";
import { describeEachDatabase } from "../support/databases.ts";

/** A Slack port that records the text of each post; `before` runs first (to hold a worker mid-pass). */
function recordingSlack(
  delivered: string[],
  options: { fail?: () => Error; before?: () => Promise<void> } = {},
): ChatPort {
  return {
    platform: "slack",
    async post(conversation, message) {
      await options.before?.();
      if (options.fail) throw options.fail();
      delivered.push(message.text);
      return { conversation, messageId: message.text };
    },
    async update() {},
    async sendDirect(user) {
      return { conversation: user, messageId: "dm" };
    },
    async replyPrivately() {},
  };
}

function worker(prisma: PrismaClient, port: ChatPort, options: { maxAttempts?: number } = {}) {
  return new OutboxWorker({
    prisma,
    ports: { slack: port },
    logger: createLogger("silent"),
    pacingMs: { slack: 0 },
    batchSize: 4,
    ...options,
  });
}

/** A second client on the same database: another connection pool for PostgreSQL, the same instance for PGlite. */
async function secondClient(db: Database): Promise<{ prisma: PrismaClient; close: () => Promise<void> }> {
  if ("databaseUrl" in db.migrationTarget) {
    const other = await openDatabase({ kind: "postgres", url: db.migrationTarget.databaseUrl });
    return { prisma: other.prisma, close: () => other.close() };
  }
  return { prisma: db.prisma, close: async () => {} };
}

describeEachDatabase("outbox with two workers", (database) => {
  it("delivers every message exactly once when two workers drain one database at the same time", async () => {
    const db = await database();
    const keys = Array.from({ length: 40 }, (_, i) => `msg-${String(i).padStart(2, "0")}`);
    for (const [i, key] of keys.entries()) {
      await enqueueOutbox(db.prisma, {
        idempotencyKey: key,
        conversation: `slack:C${i % 8}`,
        payload: { kind: "post", message: { text: key, blocks: [] } },
        notBefore: new Date(Date.now() - 1_000),
      });
    }
    const other = await secondClient(db);
    try {
      // A claims a batch and then holds it until B has delivered something: B must work around A's leases.
      let bDelivered!: () => void;
      const bHasDelivered = new Promise<void>((resolve) => {
        bDelivered = resolve;
      });
      const deliveredByA: string[] = [];
      const deliveredByB: string[] = [];
      const a = worker(db.prisma, recordingSlack(deliveredByA, { before: () => bHasDelivered })).drain();
      const b = worker(other.prisma, recordingSlack(deliveredByB, { before: async () => bDelivered() })).drain();
      const [byA, byB] = await Promise.all([a, b]);
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
      expect(byA + byB).toBe(keys.length);
      expect([...deliveredByA, ...deliveredByB].sort()).toEqual(keys);
      expect(await db.prisma.outboxMessage.count({ where: { status: "sent" } })).toBe(keys.length);
    } finally {
      await other.close();
    }
  });

  it("fails a message for good once it has used its last attempt", async () => {
    const { prisma } = await database();
    await enqueueOutbox(prisma, {
      idempotencyKey: "flaky",
      conversation: "slack:C1",
      payload: { kind: "post", message: { text: "flaky", blocks: [] } },
      notBefore: new Date(Date.now() - 1_000),
    });
    await prisma.outboxMessage.update({ where: { idempotencyKey: "flaky" }, data: { attempts: 2 } });
    const delivered: string[] = [];
    await worker(prisma, recordingSlack(delivered, { fail: () => new Error("socket hang up") }), {
      maxAttempts: 3,
    }).runOnce();
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "flaky" } })).toMatchObject({
      status: "failed",
      attempts: 3,
      lastError: "socket hang up",
      lockedUntil: null,
    });
    expect(delivered).toEqual([]);
  });
});
