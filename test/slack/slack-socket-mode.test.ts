/**
 * Slack in Socket Mode, end to end: a whole Baton with SLACK_APP_TOKEN, connected to a fake Slack Socket Mode server
 * (a real local WebSocket, handed out by a faked `apps.connections.open`), the rest of the Web API faked with nock.
 * Envelopes carry the same payloads (test/fixtures/slack) that Slack would POST over HTTP.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readSlackBlocks, type SlackBlock } from "../../src/slack/render-blocks.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";
import { type Envelope, envelope, type FakeSocketMode, startFakeSocketMode } from "./fake-socket-mode.ts";
import {
  CHANNELS,
  fakeSlackApi,
  INTAKE_SIGNING_SECRET,
  interactionBody,
  postToSlackEndpoint,
  SLACK_ENV,
  seedOfferedLead,
  slackFixture,
  slackJsonFixture,
  slackTestConfig,
  USERS,
} from "./slack-test-kit.ts";

const APP_TOKEN = "xapp-1-A0BATON01-1234567890-fakeapptoken";
const SOCKET_MODE_ENV = {
  SLACK_BOT_TOKEN: SLACK_ENV.SLACK_BOT_TOKEN,
  SLACK_APP_TOKEN: APP_TOKEN,
  SLACK_API_URL: SLACK_ENV.SLACK_API_URL,
  INTAKE_SIGNING_SECRET,
};

describe("Slack in Socket Mode", () => {
  let t: TestBaton;
  let fake: FakeSocketMode;
  let slack: ReturnType<typeof fakeSlackApi>;

  beforeEach(async () => {
    nock.cleanAll();
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    fake = await startFakeSocketMode();
    slack = fakeSlackApi({ socketModeUrl: fake.nextUrl });
    t = await startTestBaton({ env: SOCKET_MODE_ENV, batonConfig: slackTestConfig() });
  });

  afterEach(async () => {
    await t.stop();
    await fake.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const readyz = async () => {
    const response = await fetch(`${t.url}/readyz`);
    return { status: response.status, body: await response.json() };
  };

  const lead = (id: string) => t.db.prisma.lead.findUniqueOrThrow({ where: { id } });

  const slashCommand = (text: string) =>
    envelope(
      "slash_commands",
      Object.fromEntries(
        new URLSearchParams(
          slackFixture("slash-command-baton.txt", {
            CHANNEL_ID: CHANNELS.emea,
            USER_ID: USERS.ada,
            USER_NAME: "ada.lovelace",
            TEXT: text,
          }),
        ),
      ),
    );

  const acceptClick = (leadId: string, user = USERS.ada) =>
    envelope(
      "interactive",
      slackJsonFixture("block-actions.json", {
        ACTION_ID: "lead_accept",
        ACTION_LABEL: "Accept",
        LEAD_ID: leadId,
        USER_ID: user,
        USER_NAME: "ada.lovelace",
        CHANNEL_ID: CHANNELS.emea,
        MESSAGE_TS: "1700000000.000001",
      }),
    );

  /** Seeds an offered lead and delivers its card, as in the HTTP tests. */
  async function postedCard() {
    const { lead: seeded } = await seedOfferedLead(t.db);
    await t.baton.outbox.drain();
    const posted = slack.callsTo("chat.postMessage").at(-1);
    return { leadId: seeded.id, ts: String(posted?.response?.ts) };
  }

  async function expectAcceptedOnce(leadId: string, cardTs: string) {
    await vi.waitFor(async () => expect((await lead(leadId)).status).toBe("accepted"));
    await t.baton.outbox.drain();
    const updates = slack.callsTo("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0].args).toMatchObject({ channel: CHANNELS.emea, ts: cardTs });
    expect(readSlackBlocks(updates[0].args.blocks as SlackBlock[])).toMatch(/✅ \*Accepted by Ada Lovelace\*/);
    // A second handling would have told Ada the lead is already taken.
    expect(slack.callsTo("chat.postEphemeral")).toHaveLength(0);
    expect(await lead(leadId)).toMatchObject({ status: "accepted", ownerRepId: "ada" });
  }

  it("connects out with the app token: the hello makes /readyz 200; nothing is served at /slack/events", async () => {
    expect(await readyz()).toEqual({ status: 503, body: { status: "not connected: slack" } });

    await t.baton.connectChat();

    expect(fake.connectionsOpened).toBe(1);
    const opens = slack.callsTo("apps.connections.open");
    expect(opens).toHaveLength(1);
    expect(opens[0].authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(await readyz()).toEqual({ status: 200, body: { status: "ready" } });

    // Even a request signed with a real signing secret finds nothing there: Slack never calls Baton in this mode.
    const response = await postToSlackEndpoint(t.url, interactionBody({ type: "block_actions" }));
    expect(response.status).toBe(404);
  });

  it("answers /baton help on the envelope's acknowledgement", async () => {
    await t.baton.connectChat();
    const command = slashCommand("help");
    fake.send(command);

    const [ack] = await fake.acksOf(command.envelope_id);
    expect(ack.payload).toMatchObject({ response_type: "ephemeral" });
    expect(readSlackBlocks(ack.payload?.blocks as SlackBlock[])).toContain("`lead <email or lead id>`");
    expect(fake.acks).toHaveLength(1);
  });

  it("a lead card's Accept arriving as an interactive envelope is acknowledged and updates the card", async () => {
    await t.baton.connectChat();
    const { leadId, ts } = await postedCard();
    const click = acceptClick(leadId);
    fake.send(click);

    const [ack] = await fake.acksOf(click.envelope_id);
    expect(ack.payload ?? {}).toEqual({});
    await expectAcceptedOnce(leadId, ts);
  });

  it("after Slack's disconnect, reconnects at once and handles the next envelope once", async () => {
    await t.baton.connectChat();
    const { leadId, ts } = await postedCard();

    fake.sendDisconnect("refresh_requested");
    await fake.connections(2);
    await vi.waitFor(async () => expect((await readyz()).status).toBe(200));
    // The old connection was closed by Baton, not left open beside the new one.
    await vi.waitFor(() => expect(fake.openConnections()).toBe(1));
    expect(slack.callsTo("apps.connections.open")).toHaveLength(2);

    const click = acceptClick(leadId);
    fake.send(click);
    const [ack] = await fake.acksOf(click.envelope_id);
    expect(ack.connection).toBe(2);
    await expectAcceptedOnce(leadId, ts);
    expect(fake.acks).toHaveLength(1);
  });

  it("reconnects after a connection dropped without warning", async () => {
    await t.baton.connectChat();
    fake.dropConnection();
    await fake.connections(2);
    await vi.waitFor(async () => expect((await readyz()).status).toBe(200));

    const command = slashCommand("help");
    fake.send(command);
    const [ack] = await fake.acksOf(command.envelope_id);
    expect(ack).toMatchObject({ connection: 2, payload: { response_type: "ephemeral" } });
  });

  it("starts while Slack cannot be reached, /readyz 503, and connects once Slack answers", async () => {
    slack.failNext("apps.connections.open", { status: 503, body: "upstream unavailable" });

    await t.baton.connectChat();
    expect(fake.connectionsOpened).toBe(0);
    expect(await readyz()).toEqual({ status: 503, body: { status: "not connected: slack" } });

    // Retried in the background, after a second.
    await fake.connections(1);
    await vi.waitFor(async () => expect((await readyz()).status).toBe(200));
    expect(slack.callsTo("apps.connections.open")).toHaveLength(2);
  });

  it("an envelope Slack sends again with the same id is acknowledged and not handled twice", async () => {
    await t.baton.connectChat();
    const { leadId, ts } = await postedCard();
    const click = acceptClick(leadId);

    fake.send(click);
    await fake.acksOf(click.envelope_id);
    await vi.waitFor(async () => expect((await lead(leadId)).status).toBe("accepted"));
    const redelivery: Envelope = { ...click, retry_attempt: 1, retry_reason: "timeout" };
    fake.send(redelivery);

    const acks = await fake.acksOf(click.envelope_id, 2);
    expect(acks[1].payload ?? {}).toEqual({});
    await expectAcceptedOnce(leadId, ts);
  });

  it("an envelope caught in a rotation (sent just before the disconnect) is handled once, after Slack resends it", async () => {
    await t.baton.connectChat();
    const { leadId, ts } = await postedCard();
    const click = acceptClick(leadId);

    // Whether Baton's ack gets out before the socket closes or not, the click must count exactly once: acknowledged
    // and handled on the first connection, or not acknowledged there and then handled when Slack resends it.
    fake.send(click);
    fake.sendDisconnect("refresh_requested");

    await fake.connections(2);
    await fake.acksOf(click.envelope_id);
    await expectAcceptedOnce(leadId, ts);
  });
});
