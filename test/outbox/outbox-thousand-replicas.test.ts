/**
 * Two delivery runners (as two Baton replicas: each its own connection pool and worker) on one real PostgreSQL,
 * delivering 1,000 queued messages through the real Slack port to the fake Slack Web API: each is sent exactly
 * once, and each lead's messages reach Slack in the order they were queued, whichever replica took which.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import type { Prisma } from "../../src/generated/prisma/client.ts";
import { createLogger } from "../../src/logger.ts";
import { OutboxWorker } from "../../src/outbox/outbox-worker.ts";
import { SlackChat } from "../../src/slack/slack-chat.ts";
import { fakeSlackApi, SLACK_API_HOST } from "../slack/slack-test-kit.ts";
import { createTestDatabase, POSTGRES_ADMIN_URL } from "../support/databases.ts";

const MESSAGES = 1_000;
const PER_LEAD = 4;
const CHANNELS = 40;
const logger = createLogger("silent");
const leadId = (lead: number) => `00000000-0000-7000-8000-${String(lead).padStart(12, "0")}`;

describe.skipIf(!POSTGRES_ADMIN_URL)("two replicas delivering 1,000 queued messages [postgres]", () => {
  let first: Database | undefined;
  let second: Database | undefined;
  beforeEach(() => {
    nock.cleanAll();
    nock.disableNetConnect();
  });
  afterEach(async () => {
    await second?.close();
    await first?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("sends each exactly once, each lead's in order", async () => {
    first = await createTestDatabase("postgres");
    second = await openDatabase({
      kind: "postgres",
      url: (first.migrationTarget as { databaseUrl: string }).databaseUrl,
    });
    const slack = fakeSlackApi();
    const due = new Date(Date.now() - 1_000);
    const rows: Prisma.OutboxMessageCreateManyInput[] = Array.from({ length: MESSAGES }, (_, i) => {
      const lead = i % (MESSAGES / PER_LEAD);
      const step = Math.floor(i / (MESSAGES / PER_LEAD));
      return {
        idempotencyKey: `lead-${lead}:step-${step}`,
        kind: "post",
        conversation: `slack:C${String(lead % CHANNELS).padStart(3, "0")}`,
        payload: { kind: "post", message: { text: `lead-${lead}:step-${step}`, blocks: [] } },
        leadId: leadId(lead),
        nextAttemptAt: due,
      };
    });
    await first.prisma.outboxMessage.createMany({ data: rows });

    const runner = (db: Database) =>
      new OutboxWorker({
        prisma: db.prisma,
        ports: { slack: new SlackChat({ botToken: "xoxb-test-token", apiUrl: `${SLACK_API_HOST}/api/`, logger }) },
        logger,
        pacingMs: { slack: 0 },
        batchSize: 50,
      });
    const replicas = [runner(first), runner(second)];
    const deliveredBy = [0, 0];
    for (let pass = 0; pass < 200; pass++) {
      const counts = await Promise.all(replicas.map((replica) => replica.runOnce()));
      counts.forEach((count, i) => {
        deliveredBy[i] += count;
      });
      if ((await first.prisma.outboxMessage.count({ where: { status: "pending" } })) === 0) break;
    }

    expect(await first.prisma.outboxMessage.count({ where: { status: "sent" } })).toBe(MESSAGES);
    const posted = slack.posted.map((message) => String(message.text));
    expect(posted).toHaveLength(MESSAGES);
    expect(new Set(posted).size).toBe(MESSAGES);
    expect(deliveredBy[0] + deliveredBy[1]).toBe(MESSAGES);
    expect(deliveredBy[0]).toBeGreaterThan(0);
    expect(deliveredBy[1]).toBeGreaterThan(0);
    // Per lead, Slack received step 0, 1, 2, 3 in that order.
    const steps = new Map<string, number[]>();
    for (const text of posted) {
      const [lead, step] = text.split(":");
      steps.set(lead, [...(steps.get(lead) ?? []), Number(step.replace("step-", ""))]);
    }
    for (const order of steps.values()) expect(order).toEqual([0, 1, 2, 3]);
  }, 120_000);
});
