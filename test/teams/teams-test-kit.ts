/**
 * Test helpers for the Teams adapter: a local fake of the Bot Framework (OpenID metadata and signing keys of an RSA
 * key pair generated here, and the Bot Connector that records every call), tokens signed for real with that key,
 * nock for the login authority (MSAL only talks to https authorities), and fixtures in the Bot Framework's
 * documented activity shapes with placeholders (`__VERB__`, …) filled in per test.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import jwt from "jsonwebtoken";
import nock from "nock";
import { type BatonConfig, parseBatonConfig } from "../../src/config/baton-config.ts";
import { INTAKE_SECRET } from "../intake/intake-support.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

export const APP_ID = "3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
export const TENANT_ID = "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4";
export const TOKEN_ISSUER = "https://api.baton-fake.test";
export const LOGIN_HOST = "https://login.baton-fake.test";
export const CHANNELS = {
  emea: "19:abc@thread.tacv2",
  na: "19:na@thread.tacv2",
  marketing: "19:marketing@thread.tacv2",
};
export const USERS = {
  ada: { aad: "aad-ada-0001", name: "Ada Lovelace" },
  charles: { aad: "aad-charles-0002", name: "Charles Babbage" },
  grace: { aad: "aad-grace-0003", name: "Grace Hopper" },
};

/** EMEA and North America on Teams, marketing's channel too; open around the clock. */
export const teamsTestConfig = () =>
  parseBatonConfig(`
organization: Test Corp
marketing: { name: Demand Gen, channel: "teams:${CHANNELS.marketing}" }
teams:
  - id: emea-sales
    name: EMEA Sales
    channel: "teams:${CHANNELS.emea}"
    timezone: Europe/London
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps:
      - { id: ada, name: Ada Lovelace, teamsUserId: ${USERS.ada.aad} }
      - { id: charles, name: Charles Babbage, teamsUserId: ${USERS.charles.aad} }
  - id: na-sales
    name: North America Sales
    channel: "teams:${CHANNELS.na}"
    timezone: America/New_York
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps:
      - { id: grace, name: Grace Hopper, teamsUserId: ${USERS.grace.aad} }
routing:
  rules:
    - { id: emea-all, team: emea-sales, match: { region: [EMEA] } }
    - { id: na-all, team: na-sales, match: { region: [NA] } }
  fallbackTeam: emea-sales
sla:
  defaultPolicy: standard
  policies: [{ id: standard, acceptWithin: 30m, firstTouchWithin: 4h }]
`);

export interface ConnectorCall {
  method: string;
  path: string;
  /** The conversation id from the path, decoded. */
  conversation?: string;
  body: Record<string, unknown>;
  authorization?: string;
}

/** A key pair whose public half the fake publishes as the Bot Framework's signing keys. */
export function generateSigningKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

export type FakeBotFramework = Awaited<ReturnType<typeof startFakeBotFramework>>;

/** The Bot Framework on 127.0.0.1: OpenID metadata, its JWKS, and the Bot Connector (`serviceUrl`). */
export async function startFakeBotFramework(key: { kid: string; publicKey: KeyObject }) {
  const calls: ConnectorCall[] = [];
  let nextActivity = 1;
  let failNext: { status: number; headers?: Record<string, string> } | undefined;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? "/", base);
      if (req.method === "GET" && url.pathname === "/openid") {
        return send(200, {
          issuer: TOKEN_ISSUER,
          jwks_uri: `${base}/keys`,
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_methods_supported: ["private_key_jwt"],
        });
      }
      if (req.method === "GET" && url.pathname === "/keys") {
        const jwk = key.publicKey.export({ format: "jwk" });
        return send(200, { keys: [{ ...jwk, kid: key.kid, use: "sig", alg: "RS256", endorsements: ["msteams"] }] });
      }
      const match = /^\/v3\/conversations(?:\/([^/]+)\/activities(?:\/([^/]+))?)?$/.exec(url.pathname);
      if (match) {
        const body = raw ? JSON.parse(raw) : {};
        const conversation = match[1] ? decodeURIComponent(match[1]) : undefined;
        calls.push({
          method: req.method ?? "",
          path: url.pathname,
          conversation,
          body,
          authorization: req.headers.authorization,
        });
        if (failNext) {
          const failure = failNext;
          failNext = undefined;
          return send(failure.status, { error: { code: "Failure", message: "fake failure" } }, failure.headers);
        }
        if (!conversation) return send(201, { id: `a:dm-${body.members?.[0]?.id ?? "x"}` });
        if (req.method === "PUT") return send(200, { id: match[2] });
        return send(201, { id: `activity-${nextActivity++}` });
      }
      send(404, { error: "not found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    serviceUrl: `${base}/`,
    calls,
    /** The next connector call answers with this status (and headers, e.g. Retry-After). */
    failNextCall(status: number, headers?: Record<string, string>) {
      failNext = { status, headers };
    },
    posts: () => calls.filter((call) => call.method === "POST" && call.path.includes("/activities")),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** MSAL acquires Baton's own token from the login authority; it must be https, so nock plays it. */
export function fakeLoginAuthority() {
  const authority = `${LOGIN_HOST}/${TENANT_ID}`;
  nock("https://login.microsoftonline.com")
    .persist()
    .get(/\/common\/discovery\/instance/)
    .reply(200, {
      tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [
        {
          preferred_network: "login.baton-fake.test",
          preferred_cache: "login.baton-fake.test",
          aliases: ["login.baton-fake.test"],
        },
      ],
    });
  return nock(LOGIN_HOST)
    .persist()
    .get((uri) => uri.startsWith(`/${TENANT_ID}/v2.0/.well-known/openid-configuration`))
    .reply(200, {
      token_endpoint: `${authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${LOGIN_HOST}/${TENANT_ID}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
      response_types_supported: ["code", "id_token", "token"],
    })
    .post((uri) => uri.startsWith(`/${TENANT_ID}/oauth2/v2.0/token`))
    .reply(200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: "baton-outbound-token" });
}

export function teamsEnv(fake: { url: string }): Record<string, string> {
  return {
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: "not-a-real-secret",
    MICROSOFT_APP_TENANT_ID: TENANT_ID,
    MICROSOFT_APP_TYPE: "SingleTenant",
    BOTFRAMEWORK_OPENID_METADATA_URL: `${fake.url}/openid`,
    BOTFRAMEWORK_TOKEN_ISSUER: TOKEN_ISSUER,
    BOTFRAMEWORK_LOGIN_URL: `${LOGIN_HOST}/${TENANT_ID}`,
    INTAKE_SIGNING_SECRET: INTAKE_SECRET,
  };
}

/** A Bot Framework channel token, as the Teams service signs it. */
export function channelToken(key: { kid: string; privateKey: KeyObject }, serviceUrl: string, audience = APP_ID) {
  return jwt.sign({ serviceurl: serviceUrl }, key.privateKey, {
    algorithm: "RS256",
    keyid: key.kid,
    issuer: TOKEN_ISSUER,
    audience,
    expiresIn: "5m",
  });
}

const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../fixtures/teams");

/** A fixture with `__NAME__` placeholders replaced; a placeholder that is a whole JSON string may become any value. */
export function teamsFixture(name: string, values: Record<string, unknown>): Record<string, unknown> {
  const replace = (node: unknown): unknown => {
    if (typeof node === "string") {
      const whole = /^__([A-Z_]+)__$/.exec(node);
      if (whole && whole[1] in values && typeof values[whole[1]] !== "string") return values[whole[1]];
      return node.replace(/__([A-Z_]+)__/g, (marker, key: string) => (key in values ? String(values[key]) : marker));
    }
    if (Array.isArray(node)) return node.map(replace);
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replace(value)]));
    }
    return node;
  };
  return replace(JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"))) as Record<string, unknown>;
}

/** POSTs an activity to `/api/messages` as the Bot Framework does. */
export async function postActivity(baseUrl: string, activity: unknown, authorization?: string) {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Plain-text bodies (botbuilder's 401 message) stay text.
  }
  return { status: response.status, body };
}

/** What a person sees on an Adaptive Card: texts, facts, inputs and button titles, in order. */
export function seenOnCard(card: unknown): string {
  const lines: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const element = node as Record<string, unknown>;
    if (element.type === "TextBlock") lines.push(String(element.text));
    if (element.type === "FactSet") {
      for (const fact of element.facts as { title: string; value: string }[])
        lines.push(`${fact.title}: ${fact.value}`);
    }
    if (typeof element.label === "string" && String(element.type).startsWith("Input."))
      lines.push(`[${element.label}]`);
    if (String(element.type).startsWith("Action.")) lines.push(`[button: ${element.title}]`);
    for (const key of ["body", "items", "columns", "actions"]) if (key in element) visit(element[key]);
  };
  visit(card);
  return lines.join("\n");
}

/** The Adaptive Card of a posted activity. */
export function cardOf(activity: Record<string, unknown>): Record<string, unknown> {
  const [attachment] = activity.attachments as { contentType: string; content: Record<string, unknown> }[];
  if (attachment.contentType !== "application/vnd.microsoft.card.adaptive") throw new Error("not an Adaptive Card");
  return attachment.content;
}

/**
 * Baton on Teams for one test: nock sealed to loopback, MSAL's login authority faked, the fake Bot Framework
 * publishing `key`, then the server (`env` adds to the Teams settings; the two-team Teams config by default).
 * `stop()` undoes all of it.
 */
export async function startTeamsTestBaton(
  key: { kid: string; publicKey: KeyObject },
  options: { env?: Record<string, string>; batonConfig?: BatonConfig; now?: () => Date } = {},
): Promise<{ t: TestBaton; fake: FakeBotFramework; stop: () => Promise<void> }> {
  nock.cleanAll();
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  fakeLoginAuthority();
  const fake = await startFakeBotFramework(key);
  const t = await startTestBaton({
    env: { ...teamsEnv(fake), ...options.env },
    batonConfig: options.batonConfig ?? teamsTestConfig(),
    now: options.now,
  });
  return {
    t,
    fake,
    async stop() {
      await t.stop();
      await fake.close();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

/** Installs Baton in `conversation` as Teams does (a signed `conversationUpdate`); returns the HTTP status. */
export async function installBaton(
  baseUrl: string,
  key: { kid: string; privateKey: KeyObject },
  serviceUrl: string,
  conversation: string,
): Promise<number> {
  const activity = teamsFixture("conversation-update-bot-added.json", {
    SERVICE_URL: serviceUrl,
    TENANT_ID,
    APP_ID,
    CONVERSATION_ID: conversation,
  });
  return (await postActivity(baseUrl, activity, `Bearer ${channelToken(key, serviceUrl)}`)).status;
}
