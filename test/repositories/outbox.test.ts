import { expect, it } from "vitest";
import { claimDueOutbox, enqueueOutbox } from "../../src/repositories/outbox.ts";
import { describeEachDatabase } from "../support/databases.ts";

const message = { text: "hello", blocks: [{ type: "text" as const, text: "hello" }] };

describeEachDatabase("outbox repository", (database) => {
  it("stores a message once per idempotency key", async () => {
    const { prisma } = await database();
    const input = { idempotencyKey: "k1", conversation: "console:x", payload: { kind: "post" as const, message } };
    expect(await enqueueOutbox(prisma, input)).toBe(true);
    expect(await enqueueOutbox(prisma, input)).toBe(false);
    expect(await prisma.outboxMessage.count()).toBe(1);
  });

  it("leases due messages to one claimer at a time", async () => {
    const { prisma } = await database();
    for (let i = 0; i < 5; i++) {
      await enqueueOutbox(prisma, {
        idempotencyKey: `k${i}`,
        conversation: "console:x",
        payload: { kind: "post", message },
      });
    }
    const now = new Date(Date.now() + 1000);
    const [first, second] = await Promise.all([
      claimDueOutbox(prisma, { limit: 3, leaseMs: 60_000, now }),
      claimDueOutbox(prisma, { limit: 3, leaseMs: 60_000, now }),
    ]);
    const ids = [...first, ...second].map((row) => row.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(await claimDueOutbox(prisma, { limit: 10, leaseMs: 60_000, now })).toEqual([]);
    const afterLease = new Date(now.getTime() + 61_000);
    expect(await claimDueOutbox(prisma, { limit: 10, leaseMs: 60_000, now: afterLease })).toHaveLength(5);
  });
});
