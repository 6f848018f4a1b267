/**
 * Test helpers for the Slack adapter: a nock-backed fake of the Slack Web API that records every call, requests
 * signed exactly as Slack signs them (v0 HMAC-SHA256 of `v0:<timestamp>:<body>`), and fixtures in Slack's
 * documented payload shapes with placeholders (`__LEAD_ID__`, …) filled in per test.
 */
import { createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import nock from "nock";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import type { Database } from "../../src/db/database.ts";
import { renderLeadCard } from "../../src/domain/lead-card.ts";
import { type LeadForCard, leadCardView, loadLeadForCard } from "../../src/handoff/lead-card-view.ts";
import { enqueueOutbox } from "../../src/repositories/outbox.ts";
import type { SlackBlock } from "../../src/slack/render-blocks.ts";
import { readSlackBlocks } from "../../src/slack/render-blocks.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

export const SLACK_SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const INTAKE_SIGNING_SECRET = "intake-test-secret";
export const SLACK_API_HOST = "http://slack.test";
export const SLACK_ENV = {
  SLACK_BOT_TOKEN: "xoxb-test-token",
  SLACK_SIGNING_SECRET,
  SLACK_API_URL: `${SLACK_API_HOST}/api/`,
  INTAKE_SIGNING_SECRET,
};

export const CHANNELS = { emea: "C0EMEA", na: "C0NASALES", marketing: "C0MKTG" };
export const USERS = { ada: "U000ADA", charles: "U000CHARLES", grace: "U000GRACE", stranger: "U0STRANGER" };

/** Two Slack teams, reps with Slack user ids, open around the clock so routing never waits for working hours. */
export const slackTestConfig = () =>
  parseBatonConfig(`
organization: Test Corp
marketing: { name: Demand Gen, channel: "slack:${CHANNELS.marketing}" }
teams:
  - id: emea-sales
    name: EMEA Sales
    channel: "slack:${CHANNELS.emea}"
    timezone: Europe/London
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps:
      - { id: ada, name: Ada Lovelace, slackUserId: ${USERS.ada} }
      - { id: charles, name: Charles Babbage, slackUserId: ${USERS.charles} }
  - id: na-sales
    name: North America Sales
    channel: "slack:${CHANNELS.na}"
    timezone: America/New_York
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps:
      - { id: grace, name: Grace Hopper, slackUserId: ${USERS.grace} }
routing:
  rules:
    - { id: emea-all, team: emea-sales, match: { region: [EMEA] } }
    - { id: na-all, team: na-sales, match: { region: [NA] } }
  fallbackTeam: emea-sales
sla:
  defaultPolicy: standard
  policies: [{ id: standard, acceptWithin: 30m, firstTouchWithin: 4h }]
`);

// ---------------------------------------------------------------------------------------------------------------
// Signed requests

export function slackSignatureHeaders(body: string, options: { secret?: string; timestamp?: number } = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", options.secret ?? SLACK_SIGNING_SECRET)
    .update(`v0:${timestamp}:${body}`)
    .digest("hex");
  return { "X-Slack-Request-Timestamp": String(timestamp), "X-Slack-Signature": `v0=${signature}` };
}

/** POSTs to `/slack/events` as Slack does: form-encoded interactivity and commands, JSON events, signed. */
export async function postToSlackEndpoint(
  baseUrl: string,
  body: string,
  options: { json?: boolean; secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
) {
  return fetch(`${baseUrl}/slack/events`, {
    method: "POST",
    headers: {
      "Content-Type": options.json ? "application/json" : "application/x-www-form-urlencoded",
      ...slackSignatureHeaders(body, options),
      ...options.headers,
    },
    body,
  });
}

/** Interactive payloads arrive as `payload=<url-encoded JSON>`. */
export const interactionBody = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

export function intakeSignatureHeaders(body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac("sha256", INTAKE_SIGNING_SECRET).update(`v1:${timestamp}:${body}`).digest("hex");
  return { "X-Baton-Timestamp": String(timestamp), "X-Baton-Signature": `v1=${signature}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../fixtures/slack");

/** A fixture's text with `__NAME__` placeholders replaced (JSON-escaped for .json files, URL-encoded for .txt). */
export function slackFixture(name: string, values: Record<string, string> = {}): string {
  let text = fs.readFileSync(path.join(FIXTURES, name), "utf8");
  for (const [key, value] of Object.entries(values)) {
    const encoded = name.endsWith(".json") ? JSON.stringify(value).slice(1, -1) : encodeURIComponent(value);
    text = text.replaceAll(`__${key}__`, encoded);
  }
  const missing = text.match(/__[A-Z_]+__/);
  if (missing) throw new Error(`fixture ${name}: no value for ${missing[0]}`);
  return name.endsWith(".txt") ? text.trim() : text;
}

export const slackJsonFixture = <T = Record<string, unknown>>(name: string, values: Record<string, string> = {}) =>
  JSON.parse(slackFixture(name, values)) as T;

// ---------------------------------------------------------------------------------------------------------------
// The fake Slack Web API

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** The `Authorization` header: which token the call was made with. */
  authorization?: string;
  /** What the fake answered (e.g. the posted message's `ts`). */
  response?: Record<string, unknown>;
}

type Canned = { status: number; body: unknown; headers?: Record<string, string> };

/**
 * Answers every Web API method Baton uses, the way Slack does, and records the calls (arguments decoded, `blocks`
 * and `view` parsed). `failNext(method, …)` makes the next call of a method fail once. With `socketModeUrl`, it also
 * answers `apps.connections.open` with that WebSocket URL (see fake-socket-mode.ts).
 */
export function fakeSlackApi(
  options: {
    socketModeUrl?: () => string;
    /** Asked before every call: an answer to give instead (Slack down), or undefined to answer normally. */
    outage?: (method: string) => Canned | undefined;
  } = {},
) {
  const calls: SlackCall[] = [];
  const failures = new Map<string, Canned[]>();
  const posted: PostedMessage[] = [];
  let sequence = 0;
  const scope = nock(SLACK_API_HOST)
    .persist()
    .post(/^\/api\/[a-zA-Z.]+$/)
    .reply(function (uri, requestBody) {
      const method = uri.replace("/api/", "");
      const authorization = this.req.headers.authorization;
      const call: SlackCall = { method, args: decodeForm(requestBody), authorization };
      calls.push(call);
      const failure = options.outage?.(method) ?? failures.get(method)?.shift();
      if (failure) return [failure.status, failure.body, failure.headers ?? {}];
      call.response =
        method === "apps.connections.open" && options.socketModeUrl
          ? { ok: true, url: options.socketModeUrl() }
          : answer(method, call.args, `1700000000.${String(++sequence).padStart(6, "0")}`, posted);
      return [200, call.response];
    });
  // The external upload's second step: the file's bytes POSTed to the URL files.getUploadURLExternal gave.
  const uploads: { path: string; bytes: number }[] = [];
  const uploadScope = nock(SLACK_API_HOST)
    .persist()
    .post(/^\/upload\/F[A-Z0-9]+$/)
    .reply((uri, body) => {
      uploads.push({ path: uri, bytes: Buffer.byteLength(typeof body === "string" ? body : JSON.stringify(body)) });
      return [200, "OK - uploaded"];
    });
  return {
    calls,
    scope,
    uploads,
    uploadScope,
    callsTo: (method: string) => calls.filter((call) => call.method === method),
    /** Every message Slack now holds (posted with an ok answer), oldest first. */
    posted,
    failNext(method: string, failure: Canned) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
  };
}

export type FakeSlack = ReturnType<typeof fakeSlackApi>;

/**
 * Baton on Slack for one test: nock sealed to loopback, the Slack Web API faked, then the server (`env` adds to
 * SLACK_ENV; the two-team Slack config by default). `stop()` undoes all of it.
 */
export async function startSlackTestBaton(
  options: Parameters<typeof startTestBaton>[0] = {},
): Promise<{ t: TestBaton; slack: FakeSlack; stop: () => Promise<void> }> {
  nock.cleanAll();
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  const slack = fakeSlackApi();
  const t = await startTestBaton({
    ...options,
    env: { ...SLACK_ENV, ...options.env },
    batonConfig: options.batonConfig ?? slackTestConfig(),
  });
  return {
    t,
    slack,
    async stop() {
      await t.stop();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

/** What the fake keeps of each post, so that `conversations.history` / `.replies` can read it back. */
interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: unknown;
  metadata?: unknown;
}

function answer(
  method: string,
  args: Record<string, unknown>,
  ts: string,
  posted: PostedMessage[],
): Record<string, unknown> {
  switch (method) {
    case "chat.postMessage": {
      const requested = String(args.channel);
      // Posting to a user id lands in the app's DM with them, which has its own D… id.
      const channel = requested.startsWith("U") ? `D${requested.slice(1)}` : requested;
      posted.push({
        channel,
        ts,
        thread_ts: args.thread_ts as string | undefined,
        text: args.text,
        metadata: args.metadata,
      });
      return { ok: true, channel, ts };
    }
    case "conversations.history":
    case "conversations.replies": {
      // Newest first, as Slack answers; metadata only when asked for. No paging: the fake's channels are short.
      // `oldest` is not applied: the fake's ts are not times (tests assert the `oldest` Baton sends instead).
      const messages = posted
        .filter((message) => message.channel === args.channel)
        .filter((message) => method === "conversations.history" || message.thread_ts === args.ts)
        .reverse()
        .map(({ metadata, ...message }) => ({
          type: "message",
          ...message,
          ...(String(args.include_all_metadata) === "true" && metadata ? { metadata } : {}),
        }));
      return { ok: true, messages, has_more: false, response_metadata: { next_cursor: "" } };
    }
    case "chat.update":
      return { ok: true, channel: args.channel, ts: args.ts };
    case "chat.postEphemeral":
      return { ok: true, message_ts: ts };
    case "views.open":
      return { ok: true, view: { id: `V${ts.slice(-6)}` } };
    case "files.getUploadURLExternal":
      return { ok: true, upload_url: `${SLACK_API_HOST}/upload/F${ts.slice(-6)}`, file_id: `F${ts.slice(-6)}` };
    case "files.completeUploadExternal":
      return { ok: true, files: [{ id: String(args.files ?? "").match(/F\d+/)?.[0] ?? "F0", title: "file" }] };
    case "chat.getPermalink":
      // On the fake's own host, so a test can tell Slack's link from the one Baton builds when Slack fails.
      return {
        ok: true,
        channel: args.channel,
        permalink: `https://test-corp.slack.test/archives/${args.channel}/p${String(args.message_ts).replace(".", "")}`,
      };
    default:
      return { ok: false, error: "unknown_method" };
  }
}

function decodeForm(body: unknown): Record<string, unknown> {
  if (typeof body !== "string") return (body ?? {}) as Record<string, unknown>;
  const args: Record<string, unknown> = Object.fromEntries(new URLSearchParams(body));
  for (const key of ["blocks", "view", "metadata"]) {
    if (typeof args[key] === "string") args[key] = JSON.parse(args[key] as string);
  }
  return args;
}

/** What a person sees in a recorded message: its blocks read top to bottom. */
export const seen = (call: SlackCall | undefined) => readSlackBlocks((call?.args.blocks ?? []) as SlackBlock[]);

/** The action ids of a recorded message's buttons. */
export function buttonsOf(call: SlackCall | undefined): { action_id: string; value: string; style?: string }[] {
  const blocks = (call?.args.blocks ?? []) as SlackBlock[];
  return blocks.flatMap((block) =>
    block.type === "actions"
      ? block.elements.map(({ action_id, value, style }) => ({ action_id, value, ...(style ? { style } : {}) }))
      : [],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Leads

/**
 * Stores an MQL routed to EMEA Sales and queues its card, as intake does (lead, routing decision, pending offer,
 * accept clock and the outbox "post" in one transaction). For tests that start at the card, not at the webhook.
 */
export async function seedOfferedLead(db: Database, overrides: { email?: string; externalId?: string } = {}) {
  return db.prisma.$transaction(async (tx) => {
    const lead = await tx.lead.create({
      data: {
        source: "hubspot",
        externalId: overrides.externalId ?? "seed-1",
        email: overrides.email ?? "augusta@analytical.example",
        firstName: "Augusta",
        lastName: "King",
        company: "Analytical Engines",
        title: "CTO",
        country: "GB",
        region: "EMEA",
        employees: 250,
        score: 87,
        campaign: "Q4 webinar",
        rawPayload: {},
        status: "offered",
        teamId: "emea-sales",
        offeredAt: new Date(),
      },
    });
    const decision = await tx.routingDecision.create({
      data: { leadId: lead.id, teamId: "emea-sales", ruleId: "emea-all", reason: "rule `emea-all`: region=EMEA" },
    });
    const offer = await tx.offer.create({
      data: {
        leadId: lead.id,
        teamId: "emea-sales",
        routingDecisionId: decision.id,
        conversation: `slack:${CHANNELS.emea}`,
      },
    });
    const card = await loadLeadForCard(tx, lead.id);
    await enqueueOutbox(tx, {
      idempotencyKey: `offer:${offer.id}:post`,
      conversation: offer.conversation,
      payload: { kind: "post", message: renderLeadCard(leadCardView(card as LeadForCard)) },
      leadId: lead.id,
      offerId: offer.id,
    });
    return { lead, offer };
  });
}
