/**
 * How the Slack port marks its posts with the outbox id and finds them again after an attempt whose outcome is
 * unknown: the request shapes Slack documents (message metadata; conversations.history / .replies with
 * include_all_metadata and `oldest`), against nock.
 */
import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ChatMessage, PermanentDeliveryError } from "../../src/domain/chat-message.ts";
import { SlackChat } from "../../src/slack/slack-chat.ts";

const API = "http://slack.test";
const message: ChatMessage = { text: "New lead", blocks: [{ type: "text", text: "New lead" }] };
const SINCE = new Date("2026-11-25T10:00:00.000Z");
const SINCE_SECONDS = SINCE.getTime() / 1000;
const form = (body: unknown) =>
  (typeof body === "object" && body !== null ? body : Object.fromEntries(new URLSearchParams(String(body)))) as Record<
    string,
    string
  >;
const ours = (outboxId: string, ts: string) => ({
  type: "message",
  ts,
  text: "New lead",
  metadata: { event_type: "baton_outbox", event_payload: { outbox_id: outboxId } },
});

describe("SlackChat: finding a post after a crash", () => {
  let chat: SlackChat;
  beforeEach(() => {
    nock.cleanAll();
    nock.disableNetConnect();
    chat = new SlackChat({ botToken: "xoxb-test", apiUrl: `${API}/api/`, logger: pino({ level: "silent" }) });
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("attaches the outbox id to the post as message metadata", async () => {
    let sent: Record<string, string> = {};
    const scope = nock(API)
      .post("/api/chat.postMessage", (body) => {
        sent = form(body);
        return true;
      })
      .reply(200, { ok: true, channel: "C0EMEA", ts: "1764064800.000100" });
    await chat.post("slack:C0EMEA", message, { deliveryId: "0193-outbox-1" });
    expect(scope.isDone()).toBe(true);
    expect(JSON.parse(sent.metadata)).toEqual({
      event_type: "baton_outbox",
      event_payload: { outbox_id: "0193-outbox-1" },
    });
  });

  it("finds its post in the channel's history since the attempt (less a minute), by metadata", async () => {
    let asked: Record<string, string> = {};
    const scope = nock(API)
      .post("/api/conversations.history", (body) => {
        asked = form(body);
        return true;
      })
      .reply(200, {
        ok: true,
        messages: [
          { type: "message", ts: "1764064900.000300", text: "someone else" },
          ours("another-outbox-id", "1764064850.000200"),
          ours("0193-outbox-1", "1764064810.000100"),
        ],
        has_more: false,
      });
    const found = await chat.findDelivered({ deliveryId: "0193-outbox-1", conversation: "slack:C0EMEA", since: SINCE });
    expect(scope.isDone()).toBe(true);
    expect(found).toEqual({ conversation: "slack:C0EMEA", messageId: "1764064810.000100" });
    expect(asked).toMatchObject({
      channel: "C0EMEA",
      include_all_metadata: "true",
      oldest: String(SINCE_SECONDS - 60),
    });
  });

  it("looks among the thread's replies for a post in a thread", async () => {
    let asked: Record<string, string> = {};
    const scope = nock(API)
      .post("/api/conversations.replies", (body) => {
        asked = form(body);
        return true;
      })
      .reply(200, { ok: true, messages: [ours("0193-outbox-2", "1764064811.000100")], has_more: false });
    const found = await chat.findDelivered({
      deliveryId: "0193-outbox-2",
      conversation: "slack:C0EMEA",
      threadOf: { conversation: "slack:C0EMEA", messageId: "1764064000.000001" },
      since: SINCE,
    });
    expect(scope.isDone()).toBe(true);
    expect(found?.messageId).toBe("1764064811.000100");
    expect(asked).toMatchObject({ ts: "1764064000.000001", include_all_metadata: "true" });
  });

  it("answers not found after reading at most five pages", async () => {
    const scope = nock(API)
      .post("/api/conversations.history")
      .times(5)
      .reply(200, {
        ok: true,
        messages: [ours("another", "1764064850.000200")],
        has_more: true,
        response_metadata: { next_cursor: "next" },
      });
    expect(await chat.findDelivered({ deliveryId: "missing", conversation: "slack:C0EMEA", since: SINCE })).toBe(
      undefined,
    );
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("reports a missing history scope as permanent (the outbox then posts again)", async () => {
    nock(API).post("/api/conversations.history").reply(200, { ok: false, error: "missing_scope" });
    await expect(
      chat.findDelivered({ deliveryId: "x", conversation: "slack:C0EMEA", since: SINCE }),
    ).rejects.toBeInstanceOf(PermanentDeliveryError);
  });
});
