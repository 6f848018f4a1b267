/**
 * The Slack listeners against a fake HandoffService: what people see when something fails, and the redelivery
 * guard. Requests still go through the real HTTP server, signed as Slack signs them.
 */
import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCommandAnswerer } from "../../src/commands/answer-command.ts";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import type { Database } from "../../src/db/database.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import type { HandoffService } from "../../src/handoff/handoff-types.ts";
import { createHttpApp, listen, type RunningServer } from "../../src/http/server.ts";
import { createSlackAdapter } from "../../src/slack/index.ts";
import { createTestDatabase } from "../support/databases.ts";
import {
  CHANNELS,
  fakeSlackApi,
  interactionBody,
  postToSlackEndpoint,
  SLACK_ENV,
  SLACK_SIGNING_SECRET,
  seen,
  slackFixture,
  slackJsonFixture,
  USERS,
} from "./slack-test-kit.ts";

const LEAD_ID = "0193a7c2-0000-7000-8000-000000000001";
const MINIMAL_CONFIG = `
teams:
  - { id: emea, name: EMEA Sales, channel: "slack:CEMEA", reps: [{ id: ada, name: Ada Lovelace }] }
routing: { fallbackTeam: emea }
`;
const GENERIC_FAILURE = "Something went wrong on Baton's side. It has been logged; please try again.";

describe("Slack listeners", () => {
  let db: Database;
  let server: RunningServer;
  let url: string;
  let slack: ReturnType<typeof fakeSlackApi>;
  let logLines: { msg: string; [key: string]: unknown }[];
  let handoff: Partial<HandoffService>;

  beforeEach(async () => {
    nock.cleanAll();
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    slack = fakeSlackApi();
    logLines = [];
    handoff = {};
    db = await createTestDatabase("pglite");
    const logger = pino({ level: "info" }, { write: (line: string) => logLines.push(JSON.parse(line)) });
    const adapter = createSlackAdapter({
      slack: {
        botToken: SLACK_ENV.SLACK_BOT_TOKEN,
        signingSecret: SLACK_SIGNING_SECRET,
        apiUrl: SLACK_ENV.SLACK_API_URL,
      },
      // Each test fills in the methods it needs; anything else would throw, which the listeners must survive.
      handoff: new Proxy({} as HandoffService, {
        get: (_target, name) => handoff[name as keyof HandoffService],
      }),
      // `lead` lookups hit a database that has lost its tables: the person must get an apology, not a trace.
      answerCommand: createCommandAnswerer({
        prisma: {
          lead: {
            findFirst: async () => {
              throw new Error('relation "Lead" does not exist');
            },
          },
        } as unknown as PrismaClient,
        batonConfig: () => parseBatonConfig(MINIMAL_CONFIG),
        logger,
      }),
      prisma: db.prisma,
      logger,
    });
    const app = createHttpApp({ logger, isReady: async () => true, mounts: [(express) => adapter.mount(express)] });
    server = await listen(app, 0, "127.0.0.1");
    url = `http://127.0.0.1:${server.port}`;
  });

  afterEach(async () => {
    await server.close(1_000);
    await db.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const click = (actionId: string, label: string, user = USERS.ada) =>
    postToSlackEndpoint(
      url,
      interactionBody(
        slackJsonFixture("block-actions.json", {
          ACTION_ID: actionId,
          ACTION_LABEL: label,
          LEAD_ID,
          USER_ID: user,
          USER_NAME: "ada.lovelace",
          CHANNEL_ID: CHANNELS.emea,
          MESSAGE_TS: "1700000000.000001",
        }),
      ),
    );

  it("a failure inside Accept becomes a plain private apology, never a stack trace", async () => {
    handoff.acceptLead = vi.fn(async () => {
      throw new Error("Connection terminated unexpectedly\n    at Client._handleErrorEvent (pg/lib/client.js:1:1)");
    });

    expect((await click("lead_accept", "Accept")).status).toBe(200);
    await vi.waitFor(() => expect(slack.callsTo("chat.postEphemeral")).toHaveLength(1));

    const ephemeral = slack.callsTo("chat.postEphemeral")[0];
    expect(ephemeral.args).toMatchObject({ channel: CHANNELS.emea, user: USERS.ada, text: GENERIC_FAILURE });
    expect(seen(ephemeral)).toBe(GENERIC_FAILURE);
    expect(handoff.acceptLead).toHaveBeenCalledWith(LEAD_ID, {
      user: `slack:${USERS.ada}`,
      displayName: "ada.lovelace",
    });
    expect(logLines.some((line) => line.msg === "Slack accept failed")).toBe(true);
  });

  it("Reject on a lead someone already took answers at once instead of opening the modal", async () => {
    handoff.currentCard = vi.fn(async () => ({
      card: {
        leadId: LEAD_ID,
        email: "a@b.example",
        source: "hubspot",
        teamName: "EMEA Sales",
        routingReason: "rule",
        status: "accepted" as const,
        owner: { name: "Charles Babbage", at: new Date() },
        timeZone: "UTC",
      },
      message: { text: "", blocks: [] },
      location: { conversation: `slack:${CHANNELS.emea}`, messageRef: "1700000000.000001" },
    }));

    await click("lead_reject", "Reject");
    await vi.waitFor(() => expect(slack.callsTo("chat.postEphemeral")).toHaveLength(1));
    expect(seen(slack.callsTo("chat.postEphemeral")[0])).toBe("This lead was already accepted by Charles Babbage.");
    expect(slack.callsTo("views.open")).toHaveLength(0);
  });

  describe("reject modal submission", () => {
    const submit = (privateMetadata: string) =>
      postToSlackEndpoint(
        url,
        interactionBody(
          slackJsonFixture("view-submission-reject.json", {
            USER_ID: USERS.ada,
            USER_NAME: "ada.lovelace",
            PRIVATE_METADATA: privateMetadata,
            REASON: "duplicate",
            REASON_LABEL: "Duplicate",
            COMMENT: "Same person as last week",
          }),
        ),
      );
    const metadata = JSON.stringify({ leadId: LEAD_ID, conversation: `slack:${CHANNELS.emea}` });

    it("passes the reason and comment to the handoff as the rejecter", async () => {
      handoff.rejectLead = vi.fn(async () => ({
        outcome: "refused" as const,
        reply: { text: "Not yours.", blocks: [] },
      }));
      const response = await submit(metadata);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
      expect(handoff.rejectLead).toHaveBeenCalledWith(
        LEAD_ID,
        { user: `slack:${USERS.ada}`, displayName: "ada.lovelace" },
        { reason: "duplicate", comment: "Same person as last week" },
      );
      // Refused: the modal closes and the reason why arrives privately in the card's channel.
      await vi.waitFor(() => expect(slack.callsTo("chat.postEphemeral")).toHaveLength(1));
      expect(slack.callsTo("chat.postEphemeral")[0].args).toMatchObject({
        channel: CHANNELS.emea,
        user: USERS.ada,
        text: "Not yours.",
      });
    });

    it("keeps the modal open with an error when saving fails, so the reason is not lost", async () => {
      handoff.rejectLead = vi.fn(async () => {
        throw new Error("database is down");
      });
      const response = await submit(metadata);
      expect(await response.json()).toEqual({
        response_action: "errors",
        errors: { reason: "Baton couldn't save this just now. Please try again in a moment." },
      });
    });

    it("refuses a modal Baton did not write", async () => {
      handoff.rejectLead = vi.fn();
      const response = await submit("not json");
      expect(await response.json()).toEqual({
        response_action: "errors",
        errors: { reason: "This form is out of date: close it and click Reject on the card again." },
      });
      expect(handoff.rejectLead).not.toHaveBeenCalled();
    });
  });

  it("/baton lead answers with an apology when the lookup fails", async () => {
    let answer: { response_type?: string; text?: string } = {};
    const responseUrl = nock("https://hooks.slack.com")
      .post("/commands/T0TESTTEAM/1234567890/responseSecret", (body) => {
        answer = body;
        return true;
      })
      .reply(200, "ok");

    const response = await postToSlackEndpoint(
      url,
      slackFixture("slash-command-baton.txt", {
        CHANNEL_ID: CHANNELS.emea,
        USER_ID: USERS.ada,
        USER_NAME: "ada.lovelace",
        TEXT: "lead ada@example.com",
      }),
    );
    expect(response.status).toBe(200);
    // A quick answer rides on the acknowledgement; a slow one goes to the response URL.
    const acked = await response.text();
    if (acked) answer = JSON.parse(acked);
    else await vi.waitFor(() => expect(responseUrl.isDone()).toBe(true));
    expect(answer).toMatchObject({ response_type: "ephemeral", text: GENERIC_FAILURE });
  });

  it("an event redelivered by Slack runs its handler once", async () => {
    const send = (retry?: string) =>
      postToSlackEndpoint(url, slackFixture("event-app-uninstalled.json", { EVENT_ID: "Ev0UNINSTALL" }), {
        json: true,
        headers: retry ? { "X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout" } : {},
      });
    const handled = () => logLines.filter((line) => line.msg.startsWith("Baton's Slack app was uninstalled"));

    expect((await send()).status).toBe(200);
    await vi.waitFor(() => expect(handled()).toHaveLength(1));
    expect((await send("1")).status).toBe(200);
    expect((await send("2")).status).toBe(200);
    await vi.waitFor(() => expect(logLines.filter((line) => line.msg.includes("redelivery ignored"))).toHaveLength(2));
    expect(handled()).toHaveLength(1);
  });
});
