/**
 * What probing `/slack/events` found (issue 14), through the real HTTP server: strict signatures, signed requests
 * in shapes Slack never sends (400, never 500), shapes Baton does not handle (200 at once, never 3 s then 404),
 * and mention injection from a web form (`<!channel>` never reaches Slack unescaped).
 */
import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signSlackRequest } from "../../src/slack/verify-slack-request.ts";
import { postSigned } from "../intake/intake-support.ts";
import type { TestBaton } from "../support/start-baton.ts";
import {
  CHANNELS,
  type FakeSlack,
  INTAKE_SIGNING_SECRET,
  interactionBody,
  postToSlackEndpoint,
  SLACK_SIGNING_SECRET,
  slackFixture,
  slackJsonFixture,
  startSlackTestBaton,
  USERS,
} from "./slack-test-kit.ts";

const LEAD_ID = "0193a7c2-0000-7000-8000-000000000001";

/** Every mrkdwn text in Block Kit, however deeply nested. */
function mrkdwnOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnOf);
  if (typeof value !== "object" || value === null) return [];
  const node = value as Record<string, unknown>;
  const own = node.type === "mrkdwn" && typeof node.text === "string" ? [node.text] : [];
  return [...own, ...Object.values(node).flatMap(mrkdwnOf)];
}

describe("Slack requests from outside the happy path", () => {
  let t: TestBaton;
  let slack: FakeSlack;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    ({ t, slack, stop } = await startSlackTestBaton());
  });

  afterEach(() => stop());

  const clickPayload = (actionId = "lead_accept") =>
    slackJsonFixture("block-actions.json", {
      ACTION_ID: actionId,
      ACTION_LABEL: "Accept",
      LEAD_ID,
      USER_ID: USERS.ada,
      USER_NAME: "ada.lovelace",
      CHANNEL_ID: CHANNELS.emea,
      MESSAGE_TS: "1700000000.000001",
    });

  describe("signatures, checked strictly", () => {
    const body = () => interactionBody(clickPayload("lead_unknown_button"));
    const now = () => Math.floor(Date.now() / 1000);

    it("accepts a v0 signature within five minutes either way", async () => {
      for (const skew of [-290, 0, 290]) {
        const answer = await postToSlackEndpoint(t.url, body(), { timestamp: now() + skew });
        expect({ skew, status: answer.status }).toEqual({ skew, status: 200 });
      }
    });

    it("refuses a timestamp more than five minutes off, also in the future (a replay ten years on)", async () => {
      for (const skew of [-400, 400, 10 * 365 * 86_400]) {
        const answer = await postToSlackEndpoint(t.url, body(), { timestamp: now() + skew });
        expect({ skew, status: answer.status }).toEqual({ skew, status: 401 });
      }
    });

    it("refuses any version but v0, a wrong secret, and missing headers", async () => {
      const raw = body();
      const timestamp = String(now());
      const v0 = signSlackRequest(SLACK_SIGNING_SECRET, timestamp, raw);
      const send = (headers: Record<string, string>) =>
        fetch(`${t.url}/slack/events`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
          body: raw,
        }).then((response) => response.status);
      expect(await send({ "x-slack-request-timestamp": timestamp, "x-slack-signature": v0 })).toBe(200);
      // The same HMAC under another version prefix (Bolt 5.1 let any prefix through).
      const v1 = `v1=${v0.slice(3)}`;
      expect(await send({ "x-slack-request-timestamp": timestamp, "x-slack-signature": v1 })).toBe(401);
      const forged = signSlackRequest("not-the-secret", timestamp, raw);
      expect(await send({ "x-slack-request-timestamp": timestamp, "x-slack-signature": forged })).toBe(401);
      expect(await send({ "x-slack-signature": v0 })).toBe(401);
      expect(await send({ "x-slack-request-timestamp": timestamp })).toBe(401);
    });

    it("refuses a body over 1 MiB from its Content-Length, before reading it", async () => {
      const socket = net.connect(t.server.port, "127.0.0.1");
      const received: Buffer[] = [];
      socket.on("data", (chunk) => received.push(chunk));
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      // Headers only: the 10 MB body is never sent, so an answer proves nothing of it was waited for.
      socket.write(
        [
          "POST /slack/events HTTP/1.1",
          "Host: localhost",
          "Content-Type: application/x-www-form-urlencoded",
          `Content-Length: ${10 * 1024 * 1024}`,
          "",
          "",
        ].join("\r\n"),
      );
      await closed;
      expect(Buffer.concat(received).toString("utf8")).toMatch(/^HTTP\/1\.1 413 /);
    });
  });

  describe("signed requests in shapes Slack never sends: 400, never 500", () => {
    const malformed: [string, string, boolean?][] = [
      ["payload=null", "payload=null"],
      ["payload that is not JSON", "payload=%7Bnot-json"],
      ["block_actions without user", interactionBody({ ...clickPayload(), user: undefined })],
      ["block_actions with actions: {}", interactionBody({ ...clickPayload(), actions: {} })],
      ["block_actions with no actions", interactionBody({ ...clickPayload(), actions: [] })],
      [
        "view_submission without view",
        interactionBody({ type: "view_submission", user: { id: USERS.ada }, view: undefined }),
      ],
      ["event null", JSON.stringify({ type: "event_callback", event_id: "Ev1", event: null }), true],
      ["a JSON array", "[1,2,3]", true],
    ];
    it.each(malformed)("%s", async (_name, body, json) => {
      const answer = await postToSlackEndpoint(t.url, body, { json });
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: string }).error).toBe("invalid_input");
    });
  });

  describe("shapes Baton does not handle: acknowledged at once with 200", () => {
    const submission = slackJsonFixture<Record<string, unknown>>("view-submission-reject.json", {
      USER_ID: USERS.ada,
      USER_NAME: "ada.lovelace",
      PRIVATE_METADATA: "{}",
      REASON: "other",
      REASON_LABEL: "Other",
      COMMENT: "",
    });
    const unknown: [string, string, boolean?][] = [
      ["a form without payload", "token=abc&team_id=T0TESTTEAM"],
      ["an unknown action_id", interactionBody(clickPayload("lead_launch_rocket"))],
      ["view_closed", interactionBody({ type: "view_closed", user: { id: USERS.ada }, view: { id: "V1" } })],
      [
        "another modal's submission",
        interactionBody({ ...submission, view: { ...(submission.view as object), callback_id: "someone_elses" } }),
      ],
      ["a global shortcut", interactionBody({ type: "shortcut", callback_id: "x", user: { id: USERS.ada } })],
      [
        "another slash command",
        slackFixture("slash-command-baton.txt", {
          CHANNEL_ID: CHANNELS.emea,
          USER_ID: USERS.ada,
          USER_NAME: "ada",
          TEXT: "help",
        }).replace("command=%2Fbaton", "command=%2Fweather"),
      ],
      [
        "an event Baton did not subscribe to",
        JSON.stringify({ type: "event_callback", event_id: "Ev2", event: { type: "reaction_added" } }),
        true,
      ],
    ];
    it.each(unknown)("%s", async (_name, body, json) => {
      const answer = await postToSlackEndpoint(t.url, body, { json });
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe("");
      expect(slack.calls).toEqual([]);
    });
  });

  it("never lets an MQL's name or company ping a channel: <!channel> reaches Slack escaped, text and blocks", async () => {
    const hostile = "<!channel> <https://evil.example|click>";
    const mql = {
      source: "web",
      externalId: "inject-1",
      email: "mallory@evil.example",
      firstName: hostile,
      company: "<!here> & Co",
      region: "EMEA",
    };
    const first = await postSigned(t.url, mql, { secret: INTAKE_SIGNING_SECRET });
    expect(first.status).toBe(202);
    await t.baton.outbox.drain();
    // A repeat MQL of the same person: the repeat notice is built from the same outside data.
    const again = await postSigned(t.url, { ...mql, externalId: "inject-2" }, { secret: INTAKE_SIGNING_SECRET });
    expect(again.status).toBe(202);
    await t.baton.outbox.drain();

    const posts = slack.callsTo("chat.postMessage");
    expect(posts.length).toBe(2);
    for (const call of posts) {
      // Slack finds mentions in `text` and in mrkdwn; plain_text (the header) shows `<!channel>` as typed.
      const sent = [String(call.args.text), ...mrkdwnOf(call.args.blocks)].join("\n");
      expect(sent).not.toContain("<!channel>");
      expect(sent).not.toContain("<!here>");
      expect(sent).not.toContain("<https://evil.example");
      expect(String(call.args.text)).toContain("&lt;!channel&gt; &lt;https://evil.example|click&gt;");
    }
    expect(String(posts[1].args.text)).toContain("converted again");
  });
});
