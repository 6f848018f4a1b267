/**
 * The crash window: the process dies after Slack took a card and before the outbox marked it sent. Crash injection
 * in-process: the first worker's Slack call never returns to it (as if the process were killed right there), and a
 * second worker, with its own state, takes the row over once the lease has run out, as a restarted Baton would.
 * The same with a real child process and SIGKILL: test/outbox/outbox-sigkill.test.ts (PostgreSQL only).
 */
import { randomUUID } from "node:crypto";
import nock from "nock";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { ChatPort } from "../../src/domain/chat-message.ts";
import { Prisma, type PrismaClient } from "../../src/generated/prisma/client.ts";
import { createLogger } from "../../src/logger.ts";
import { OutboxWorker } from "../../src/outbox/outbox-worker.ts";
import { enqueueOutbox } from "../../src/repositories/outbox.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { SlackChat } from "../../src/slack/slack-chat.ts";
import { CHANNELS, fakeSlackApi, SLACK_API_HOST, seedOfferedLead, slackTestConfig } from "../slack/slack-test-kit.ts";
import { describeEachDatabase } from "../support/databases.ts";

const T0 = new Date("2026-11-25T10:00:00.000Z");
const LEASE_MS = 120_000;
const logger = createLogger("silent");

function slackPort() {
  return new SlackChat({ botToken: "xoxb-test-token", apiUrl: `${SLACK_API_HOST}/api/`, logger });
}

function worker(prisma: PrismaClient, port: ChatPort, now: () => Date) {
  return new OutboxWorker({
    prisma,
    ports: { slack: port },
    logger,
    now,
    leaseMs: LEASE_MS,
    pacingMs: { slack: 0 },
    sleep: async () => {},
  });
}

/** A port that dies (never answers its caller again) right after, or right before, Slack takes the post. */
function dyingPort(real: ChatPort, when: "after Slack answered" | "before calling Slack"): ChatPort {
  const never = new Promise<never>(() => {});
  return {
    ...real,
    platform: "slack",
    post: async (conversation, message, options) => {
      if (when === "after Slack answered") await real.post(conversation, message, options);
      return never;
    },
    update: real.update.bind(real),
    sendDirect: real.sendDirect.bind(real),
    replyPrivately: real.replyPrivately.bind(real),
  };
}

async function until(condition: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("timed out waiting");
}

/** A Teams-like port: it cannot search its posts, so the outbox must note where each landed. */
function unsearchablePort() {
  const calls: string[] = [];
  let sequence = 0;
  const port: ChatPort = {
    platform: "teams",
    post: async (conversation, message) => {
      calls.push(`post ${message.text}`);
      return { conversation, messageId: `activity-${++sequence}` };
    },
    update: async (ref, message) => {
      calls.push(`update ${ref.messageId} ${message.text}`);
    },
    sendDirect: async (_user, message) => {
      calls.push(`dm ${message.text}`);
      return { conversation: "teams:a:dm-chat", messageId: `activity-${++sequence}` };
    },
    replyPrivately: async () => {},
  };
  return { port, calls };
}

/** The process freezes (as if killed) when it tries to store the outcome: its transactions never complete. */
function freezingAtOutcome(prisma: PrismaClient): PrismaClient {
  return new Proxy(prisma, {
    get(target, property) {
      if (property === "$transaction") return () => new Promise(() => {});
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describeEachDatabase("outbox: a crash between Slack's answer and 'sent'", (database) => {
  beforeEach(() => {
    nock.cleanAll();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("after the restart the card exists once: found by its metadata, marked sent with Slack's ts", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, slackTestConfig());
    const slack = fakeSlackApi();
    const { offer } = await seedOfferedLead(db);
    const row = await db.prisma.outboxMessage.update({
      where: { idempotencyKey: `offer:${offer.id}:post` },
      data: { nextAttemptAt: T0 },
    });

    // The first process: Slack takes the card, then the process is gone before it can record that.
    void worker(db.prisma, dyingPort(slackPort(), "after Slack answered"), () => T0).runOnce();
    await until(() => slack.posted.length === 1);
    const [card] = slack.posted;
    const orphan = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(orphan).toMatchObject({ status: "pending", attemptStartedAt: T0 });

    // The restarted process, once the dead one's lease has run out.
    const restarted = new Date(T0.getTime() + LEASE_MS + 1_000);
    expect(await worker(db.prisma, slackPort(), () => restarted).drain()).toBe(1);

    expect(slack.posted).toHaveLength(1);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
    const [lookup] = slack.callsTo("conversations.history");
    expect(lookup.args).toMatchObject({
      channel: CHANNELS.emea,
      include_all_metadata: "true",
      oldest: String(T0.getTime() / 1000 - 60),
    });
    expect(card.metadata).toEqual({ event_type: "baton_outbox", event_payload: { outbox_id: row.id } });
    const sent = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(sent).toMatchObject({ status: "sent", attemptStartedAt: null, result: { messageId: card.ts } });
    expect(await db.prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({
      messageRef: card.ts,
    });
  });

  it("posts it (once) when the dead attempt never reached Slack", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, slackTestConfig());
    const slack = fakeSlackApi();
    const { offer } = await seedOfferedLead(db);
    const row = await db.prisma.outboxMessage.update({
      where: { idempotencyKey: `offer:${offer.id}:post` },
      data: { nextAttemptAt: T0 },
    });
    void worker(db.prisma, dyingPort(slackPort(), "before calling Slack"), () => T0).runOnce();
    await until(
      async () =>
        (await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).attemptStartedAt !== null,
    );

    const restarted = new Date(T0.getTime() + LEASE_MS + 1_000);
    expect(await worker(db.prisma, slackPort(), () => restarted).drain()).toBe(1);
    expect(slack.callsTo("conversations.history")).toHaveLength(1);
    expect(slack.posted).toHaveLength(1);
    expect(await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "sent",
      result: { messageId: slack.posted[0].ts },
    });
  });

  it("where the platform cannot be searched (Teams, DMs), updates where the message landed instead of posting again", async () => {
    const { prisma } = await database();
    for (const [key, kind] of [
      ["teams-card", "post"],
      ["teams-dm", "direct"],
    ] as const) {
      await enqueueOutbox(prisma, {
        idempotencyKey: key,
        conversation: kind === "post" ? "teams:19:abc@thread.tacv2" : "teams:aad-ada",
        payload: { kind, message: { text: key, blocks: [] } },
        leadId: randomUUID(),
        notBefore: T0,
      });
    }
    const teams = unsearchablePort();
    const outbox = (db: PrismaClient, now: Date) =>
      new OutboxWorker({
        prisma: db,
        ports: { teams: teams.port },
        logger,
        now: () => now,
        leaseMs: LEASE_MS,
        sleep: async () => {},
      });
    void outbox(freezingAtOutcome(prisma), T0).runOnce();
    await until(async () => (await prisma.outboxMessage.count({ where: { result: { not: Prisma.DbNull } } })) === 2);
    expect(teams.calls.sort()).toEqual(["dm teams-dm", "post teams-card"]);

    const restarted = new Date(T0.getTime() + LEASE_MS + 1_000);
    expect(await outbox(prisma, restarted).drain()).toBe(2);
    // Nothing posted again: each message's activity updated in place, and recorded as where it lives.
    const updated = new Map(
      teams.calls
        .slice(2)
        .map((call) => call.split(" "))
        .map(([verb, activity, text]) => [text, `${verb} ${activity}`]),
    );
    for (const row of await prisma.outboxMessage.findMany()) {
      const { messageId } = row.result as { messageId: string };
      expect(updated.get(row.idempotencyKey)).toBe(`update ${messageId}`);
      expect(row.status).toBe("sent");
    }
    expect(teams.calls).toHaveLength(4);
  });

  it("looks among the thread's replies for a reply whose first attempt's answer was lost", async () => {
    const { prisma } = await database();
    const slack = fakeSlackApi();
    const root = { conversation: `slack:${CHANNELS.emea}`, messageId: "1700000000.000001" };
    await enqueueOutbox(prisma, {
      idempotencyKey: "thread-reply",
      conversation: root.conversation,
      payload: { kind: "post", message: { text: "Reminder", blocks: [] }, threadOf: root },
      leadId: randomUUID(),
      notBefore: T0,
    });
    // Slack took the reply, but its answer never came back: a 500 after the fact, as a proxy in between may give.
    const realPort = slackPort();
    const lostAnswer: ChatPort = {
      ...dyingPort(realPort, "after Slack answered"),
      post: async (conversation, message, options) => {
        await realPort.post(conversation, message, options);
        throw new Error("Slack chat.postMessage failed: HTTP 500");
      },
    };
    await worker(prisma, lostAnswer, () => T0).runOnce();
    expect(slack.posted).toHaveLength(1);
    const later = new Date(T0.getTime() + 60_000);
    expect(await worker(prisma, slackPort(), () => later).drain()).toBe(1);
    expect(slack.posted).toHaveLength(1);
    expect(slack.callsTo("conversations.replies")[0]?.args).toMatchObject({ ts: root.messageId });
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "thread-reply" } })).toMatchObject({
      status: "sent",
      attempts: 1,
      result: { messageId: slack.posted[0].ts },
    });
  });
});
