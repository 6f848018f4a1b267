/**
 * Property-based, end to end: generated hostile input sent through the real HTTP server — signed MQLs and CRM
 * events, signed Slack interactivity, slash commands and events, Bot Framework activities with a valid channel
 * token — never makes Baton answer 5xx (nor 503 "retry later" to an MQL it will never take), never logs an
 * unhandled error, and leaves the server serving. One Baton with Slack and Teams both on, on PGlite.
 */
import { Writable } from "node:stream";
import fc from "fast-check";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { createLogger } from "../../src/logger.ts";
import { INTAKE_SECRET, postSigned } from "../intake/intake-support.ts";
import {
  CHANNELS,
  fakeSlackApi,
  interactionBody,
  postToSlackEndpoint,
  SLACK_ENV,
  seedOfferedLead,
  slackFixture,
  USERS,
} from "../slack/slack-test-kit.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";
import {
  APP_ID,
  channelToken,
  fakeLoginAuthority,
  generateSigningKey,
  postActivity,
  startFakeBotFramework,
  TENANT_ID,
  teamsEnv,
  teamsFixture,
} from "../teams/teams-test-kit.ts";

const RUNS = 60;
const key = generateSigningKey("baton-property-key");

/** Strings with what probing found troublesome: NUL, lone surrogates, markup, mentions, huge numbers as text. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("\u0000", "\ud800", "<!channel>", "<@U000ADA>", "9999-12-31T23:59:59Z", "1e12", "", " ", "null"),
);
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    hostileString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 3 }),
  ),
})).value;
/** Mostly a plausible value, sometimes a hostile one: so that input gets past validation as well as into it. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary, weight: 3 }, { arbitrary: hostileValue, weight: 1 });

/** Addresses Baton takes (fast-check's RFC-exotic ones it refuses, rightly, with a 400). */
const plainEmail = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9.]{0,10}$/),
    fc.constantFrom("example.com", "navy.example", "analytical.example"),
  )
  .map(([local, domain]) => `${local}@${domain}`);
const plausibleDate = fc
  .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2026-11-01T00:00:00Z"), noInvalidDate: true })
  .map((date) => date.toISOString());

const config = parseBatonConfig(`
organization: Test Corp
teams:
  - id: emea-sales
    name: EMEA Sales
    channel: "slack:${CHANNELS.emea}"
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps:
      - { id: ada, name: Ada Lovelace, slackUserId: ${USERS.ada}, teamsUserId: aad-ada-0001 }
routing: { fallbackTeam: emea-sales }
admins: ["slack:${USERS.ada}"]
`);

describe("no input makes the HTTP server answer 5xx", () => {
  let t: TestBaton;
  let fake: Awaited<ReturnType<typeof startFakeBotFramework>>;
  let leadId: string;
  const logs: string[] = [];

  beforeAll(async () => {
    nock.cleanAll();
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    fakeSlackApi();
    nock("https://hooks.slack.com").persist().post(/.*/).reply(200, "ok");
    fakeLoginAuthority();
    fake = await startFakeBotFramework(key);
    const logger = createLogger(
      "info",
      new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    );
    t = await startTestBaton({ env: { ...teamsEnv(fake), ...SLACK_ENV }, batonConfig: config, logger });
    leadId = (await seedOfferedLead(t.db)).lead.id;
    await t.baton.outbox.drain();
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await fake?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  /** Every answer of the test: the generated input must reach the handlers (2xx) as well as be refused (4xx). */
  let statuses: number[] = [];
  const expectServing = async () => {
    expect(statuses.some((status) => status < 300)).toBe(true);
    expect(statuses.some((status) => status >= 400)).toBe(true);
    statuses = [];
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const failures = logs.filter((line) => /"level":(50|60)/.test(line) && /unhandled|uncaught/i.test(line));
    expect(failures).toEqual([]);
  };

  it("signed MQLs and CRM events: a 4xx or 202, never 5xx", async () => {
    const mql = fc.record(
      {
        source: maybe(fc.constantFrom("hubspot", "marketo")),
        externalId: maybe(fc.string({ minLength: 1, maxLength: 10 })),
        email: maybe(plainEmail),
        firstName: maybe(hostileString),
        createdAt: maybe(plausibleDate),
        employees: maybe(fc.nat(100_000)),
        region: maybe(fc.constantFrom("EMEA", "NA")),
        extra: maybe(fc.string()),
      },
      { requiredKeys: ["source", "externalId", "email"] },
    );
    const crm = fc.record(
      {
        source: maybe(fc.constant("salesforce")),
        externalId: maybe(fc.string({ minLength: 1, maxLength: 10 })),
        type: maybe(fc.constantFrom("sql", "won", "opportunity", "first_touch")),
        lead: maybe(fc.record({ email: maybe(plainEmail) })),
        amount: maybe(fc.oneof(fc.double(), fc.constant(1e12))),
        occurredAt: maybe(plausibleDate),
      },
      { requiredKeys: ["source", "externalId", "type", "lead"] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mql.map((body) => ["mql", body] as const),
          crm.map((body) => ["crm", body] as const),
        ),
        async ([route, body]) => {
          const answer = await postSigned(t.url, body, { secret: INTAKE_SECRET, path: `/webhooks/${route}` });
          statuses.push(answer.status);
          expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS * 2 },
    );
    await expectServing();
  }, 120_000);

  it("signed Slack interactivity, slash commands and events: never 5xx", async () => {
    const user = fc.oneof(fc.record({ id: maybe(fc.constantFrom(USERS.ada, USERS.stranger)) }), hostileValue);
    const value = maybe(fc.constant(leadIdPlaceholder));
    const blockActions = fc.record(
      {
        type: fc.constant("block_actions"),
        user,
        team: maybe(fc.record({ id: fc.constant("T0TESTTEAM") })),
        channel: maybe(fc.record({ id: fc.constant(CHANNELS.emea) })),
        message: maybe(fc.record({ ts: fc.constant("1700000000.000001") })),
        trigger_id: maybe(fc.constant("13345224609.738474920.8088930838d88f008e2")),
        response_url: maybe(fc.constant("https://hooks.slack.com/actions/T0/1/x")),
        actions: fc.oneof(
          fc.array(
            fc.record(
              {
                action_id: maybe(
                  fc.constantFrom("lead_accept", "lead_reject", "lead_touch", "lead_sql", "lead_disqualify"),
                ),
                value,
                type: fc.constant("button"),
              },
              { requiredKeys: ["action_id"] },
            ),
            { maxLength: 2 },
          ),
          hostileValue,
        ),
      },
      { requiredKeys: ["type"] },
    );
    const viewSubmission = fc.record(
      {
        type: fc.constant("view_submission"),
        user,
        view: maybe(
          fc.record({
            callback_id: maybe(fc.constant("lead_reject_form")),
            private_metadata: maybe(fc.constant(leadIdPlaceholder)),
            state: maybe(fc.record({ values: hostileValue })),
          }),
        ),
      },
      { requiredKeys: ["type"] },
    );
    const slashText = fc.oneof(
      hostileString,
      fc.constantFrom("help", "lead ", "kpi", "sla", "outbox", "outbox retry x", "forget a@b.example", "spend 1 x"),
      fc
        .tuple(fc.constantFrom("lead", "kpi", "sla", "outbox retry", "spend", "reject"), hostileString)
        .map(([verb, rest]) => `${verb} ${rest}`),
    );
    const request = fc.oneof(
      fc.oneof(blockActions, viewSubmission, hostileValue).map((payload) => ({ form: true, payload })),
      slashText.map((text) => ({ form: true, text })),
      fc
        .record(
          { type: maybe(fc.constant("event_callback")), event: hostileValue, event_id: hostileString },
          { requiredKeys: [] },
        )
        .map((event) => ({ form: false, event })),
    );
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        let body: string;
        if ("payload" in generated) {
          body = interactionBody(generated.payload).replaceAll(encodeURIComponent(leadIdPlaceholder), leadId);
        } else if ("text" in generated) {
          body = slackFixture("slash-command-baton.txt", {
            CHANNEL_ID: CHANNELS.emea,
            USER_ID: USERS.ada,
            USER_NAME: "ada",
            // Slack sends UTF-8: a lone surrogate arrives as U+FFFD.
            TEXT: generated.text.replace(
              /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
              "\ufffd",
            ),
          });
        } else {
          body = JSON.stringify(generated.event) ?? "null";
        }
        const response = await postToSlackEndpoint(t.url, body, { json: !generated.form });
        statuses.push(response.status);
        expect(response.status, await response.text()).toBeLessThan(500);
      }),
      { numRuns: RUNS * 2 },
    );
    await expectServing();
  }, 120_000);

  it("an activity botbuilder cannot read (no string type, no conversation id) is a 400, not a 500", async () => {
    const bearer = `Bearer ${channelToken(key, fake.serviceUrl)}`;
    const valid = teamsFixture("message-mention.json", {
      SERVICE_URL: fake.serviceUrl,
      TENANT_ID,
      APP_ID,
      AAD_ID: "aad-ada-0001",
      USER_NAME: "Ada Lovelace",
      CONVERSATION_ID: "19:abc@thread.tacv2",
      TEXT: "help",
    });
    expect(await postActivity(t.url, { ...valid, type: 0 }, bearer)).toEqual({
      status: 400,
      body: {
        error: "invalid_input",
        message: "Not an activity the Bot Framework sends: type: Invalid input: expected string, received number.",
      },
    });
    const noConversationId = { ...valid, conversation: { tenantId: TENANT_ID } };
    expect((await postActivity(t.url, noConversationId, bearer)).status).toBe(400);
    expect((await postActivity(t.url, valid, bearer)).status).toBe(200);
  });

  it("Bot Framework activities with a valid token: never 5xx", async () => {
    const bearer = `Bearer ${channelToken(key, fake.serviceUrl)}`;
    const base = (name: string, values: Record<string, unknown>) =>
      teamsFixture(name, {
        SERVICE_URL: fake.serviceUrl,
        TENANT_ID,
        APP_ID,
        AAD_ID: "aad-ada-0001",
        USER_NAME: "Ada Lovelace",
        CONVERSATION_ID: "19:abc@thread.tacv2",
        MESSAGE_ID: "1700000000123",
        ...values,
      });
    const activity = fc.oneof(
      fc
        .record({ verb: maybe(fc.constantFrom("lead_accept", "lead_reject", "lead_touch")), data: hostileValue })
        .map(({ verb, data }) => base("invoke-adaptive-card-action.json", { VERB: verb, DATA: data })),
      hostileString.map((text) => base("message-mention.json", { TEXT: text })),
      fc
        .record(
          {
            type: maybe(
              fc.constantFrom("message", "invoke", "conversationUpdate", "messageReaction", "installationUpdate"),
            ),
            name: hostileValue,
            value: hostileValue,
            text: hostileValue,
            from: hostileValue,
            conversation: hostileValue,
            channelData: hostileValue,
            membersAdded: hostileValue,
          },
          { requiredKeys: [] },
        )
        .map((overrides) => ({ ...base("message-mention.json", { TEXT: "help" }), ...overrides })),
    );
    await fc.assert(
      fc.asyncProperty(activity, async (generated) => {
        // The token names the service URL; an activity naming another is refused (401), never a 500.
        const answer = await postActivity(t.url, generated, bearer);
        statuses.push(answer.status);
        expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
      }),
      { numRuns: RUNS * 2 },
    );
    await expectServing();
  }, 120_000);
});

/** Stands for the seeded lead's id in generated payloads (the id is only known once the database is up). */
const leadIdPlaceholder = "__SEEDED_LEAD_ID__";
