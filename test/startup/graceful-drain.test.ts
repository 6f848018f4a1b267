/**
 * The first step of a graceful shutdown, in-process: while Baton drains, /readyz answers 503, nothing new starts,
 * and the delivery in flight finishes and is recorded before drain() resolves. (The whole SIGTERM path of
 * `src/main.ts`, in a child process: test/outbox/outbox-sigkill.test.ts.)
 */
import { afterEach, expect, it } from "vitest";
import type { ChatPort } from "../../src/domain/chat-message.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

let t: TestBaton | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

it("drain: /readyz 503 at once, the post in flight finishes and is marked sent, no new pass starts", async () => {
  t = await startTestBaton();
  const real = t.baton.ports.console as ChatPort;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const posts: string[] = [];
  t.baton.ports.console = {
    ...real,
    platform: "console",
    post: async (conversation, message, options) => {
      posts.push(message.text);
      await released;
      return real.post(conversation, message, options);
    },
    update: real.update.bind(real),
    sendDirect: real.sendDirect.bind(real),
    replyPrivately: real.replyPrivately.bind(real),
  };
  const response = await fetch(`${t.url}/webhooks/mql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ source: "hubspot", externalId: "drain-1", email: "ada@example.com", region: "EMEA" }),
  });
  expect(response.status).toBe(202);
  const { leadId } = (await response.json()) as { leadId: string };
  for (let i = 0; i < 200 && posts.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(posts).toHaveLength(1);

  expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  let drained = false;
  const draining = t.baton.drain().then(() => {
    drained = true;
  });
  const readyz = await fetch(`${t.url}/readyz`);
  expect(readyz.status).toBe(503);
  expect(await readyz.json()).toEqual({ status: "draining: shutting down" });
  // Work that arrives meanwhile is stored (another replica, or the last pass, delivers it), not started here.
  const during = await fetch(`${t.url}/webhooks/mql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ source: "hubspot", externalId: "drain-2", email: "grace@example.com", region: "EMEA" }),
  });
  expect(during.status).toBe(202);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(drained).toBe(false);
  expect(posts).toHaveLength(1);

  release();
  await draining;
  const card = await t.db.prisma.outboxMessage.findFirstOrThrow({ where: { leadId, kind: "post" } });
  expect(card.status).toBe("sent");
  // Nothing starts after the drain, not even the pass loop the first MQL kicked off: the second card waits.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(posts).toHaveLength(1);
  expect(await t.db.prisma.outboxMessage.count({ where: { status: "pending" } })).toBeGreaterThan(0);
});
