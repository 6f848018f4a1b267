import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ChatMessage, PermanentDeliveryError, RateLimitedError } from "../../src/domain/chat-message.ts";
import { SlackChat } from "../../src/slack/slack-chat.ts";

const API = "http://slack.test";
const message: ChatMessage = { text: "Hello <team>", blocks: [{ type: "text", text: "*Hello* team" }] };

/** nock hands body matchers a form-encoded body already decoded, reply functions the raw string. */
function form(body: unknown): Record<string, string> {
  if (typeof body === "object" && body !== null) return body as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(String(body)));
}

describe("SlackChat", () => {
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

  it("posts Block Kit with the text fallback to the channel and returns the message ts", async () => {
    let sent: Record<string, string> = {};
    const scope = nock(API)
      .post("/api/chat.postMessage", (body) => {
        sent = form(body);
        return true;
      })
      .matchHeader("authorization", "Bearer xoxb-test")
      .reply(200, { ok: true, channel: "C0EMEA", ts: "1700000000.000100" });

    const ref = await chat.post("slack:C0EMEA", message);

    expect(scope.isDone()).toBe(true);
    expect(ref).toEqual({ conversation: "slack:C0EMEA", messageId: "1700000000.000100" });
    expect(sent.channel).toBe("C0EMEA");
    // Escaped like the blocks: Slack reads the fallback text as mrkdwn too.
    expect(sent.text).toBe("Hello &lt;team&gt;");
    expect(JSON.parse(sent.blocks)).toEqual([{ type: "section", text: { type: "mrkdwn", text: "*Hello* team" } }]);
    expect(sent.thread_ts).toBeUndefined();
  });

  it("posts into a thread with thread_ts", async () => {
    const scope = nock(API)
      .post("/api/chat.postMessage", (body) => form(body).thread_ts === "1700000000.000100")
      .reply(200, { ok: true, channel: "C0EMEA", ts: "1700000000.000200" });
    await chat.post("slack:C0EMEA", message, {
      threadOf: { conversation: "slack:C0EMEA", messageId: "1700000000.000100" },
    });
    expect(scope.isDone()).toBe(true);
  });

  it("updates a message in place with chat.update", async () => {
    const scope = nock(API)
      .post("/api/chat.update", (body) => form(body).channel === "C0EMEA" && form(body).ts === "1700000000.000100")
      .reply(200, { ok: true });
    await chat.update({ conversation: "slack:C0EMEA", messageId: "1700000000.000100" }, message);
    expect(scope.isDone()).toBe(true);
  });

  it("sends a DM by posting to the user id, and returns the DM channel", async () => {
    const scope = nock(API)
      .post("/api/chat.postMessage", (body) => form(body).channel === "U000ADA")
      .reply(200, { ok: true, channel: "D000ADA", ts: "1700000000.000300" });
    expect(await chat.sendDirect("slack:U000ADA", message)).toEqual({
      conversation: "slack:D000ADA",
      messageId: "1700000000.000300",
    });
    expect(scope.isDone()).toBe(true);
  });

  it("replies privately with chat.postEphemeral", async () => {
    const scope = nock(API)
      .post("/api/chat.postEphemeral", (body) => form(body).channel === "C0EMEA" && form(body).user === "U000ADA")
      .reply(200, { ok: true, message_ts: "1700000000.000400" });
    await chat.replyPrivately("slack:C0EMEA", "slack:U000ADA", message);
    expect(scope.isDone()).toBe(true);
  });

  it("turns a 429 into RateLimitedError with Retry-After, without retrying or waiting itself", async () => {
    const scope = nock(API)
      .post("/api/chat.postMessage")
      .once()
      .reply(429, { ok: false, error: "ratelimited" }, { "Retry-After": "30" });

    const error = await chat.post("slack:C0EMEA", message).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(30_000);
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it.each(["channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "msg_too_long"])(
    "treats %s as permanent: retrying cannot fix it",
    async (slackError) => {
      nock(API).post("/api/chat.postMessage").reply(200, { ok: false, error: slackError });
      const error = await chat.post("slack:C0EMEA", message).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect((error as Error).message).toBe(`Slack chat.postMessage failed: ${slackError}`);
    },
  );

  it.each([
    ["a bad token (fixable by an admin)", 200, { ok: false, error: "invalid_auth" }, "invalid_auth"],
    ["a server error", 503, "Service Unavailable", "HTTP 503"],
  ])("leaves %s to the outbox's backoff, after a single request", async (_what, status, body, detail) => {
    const scope = nock(API).post("/api/chat.postMessage").once().reply(status, body);
    const error = await chat.post("slack:C0EMEA", message).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error).not.toBeInstanceOf(RateLimitedError);
    expect((error as Error).message).toContain(detail);
    expect(scope.isDone()).toBe(true);
  });

  it("refuses conversations of another platform as permanent", async () => {
    await expect(chat.post("teams:19:abc@thread.tacv2", message)).rejects.toBeInstanceOf(PermanentDeliveryError);
  });
});
