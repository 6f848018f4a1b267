/**
 * With Teams credentials set, `/api/messages` only takes requests carrying a Bot Framework token that is signed by
 * a key the (fake) OpenID metadata publishes, issued by BOTFRAMEWORK_TOKEN_ISSUER, for this app, for this service
 * URL, and not expired. Nothing is stored from a refused request.
 */
import jwt from "jsonwebtoken";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestBaton } from "../support/start-baton.ts";
import {
  APP_ID,
  CHANNELS,
  channelToken,
  type FakeBotFramework,
  generateSigningKey,
  postActivity,
  startTeamsTestBaton,
  TENANT_ID,
  TOKEN_ISSUER,
  teamsFixture,
} from "./teams-test-kit.ts";

const key = generateSigningKey("teams-auth-key");

describe("Teams request authentication", () => {
  let t: TestBaton;
  let fake: FakeBotFramework;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    ({ t, fake, stop } = await startTeamsTestBaton(key));
  });

  afterEach(() => stop());

  const sign = (claims: Record<string, unknown>, options: jwt.SignOptions = {}) =>
    `Bearer ${jwt.sign({ serviceurl: fake.serviceUrl, ...claims }, key.privateKey, {
      algorithm: "RS256",
      keyid: key.kid,
      issuer: TOKEN_ISSUER,
      audience: APP_ID,
      expiresIn: "5m",
      ...options,
    })}`;

  it("refuses tokens that are not for this bot, then takes a proper one", async () => {
    const install = teamsFixture("conversation-update-bot-added.json", {
      SERVICE_URL: fake.serviceUrl,
      TENANT_ID,
      APP_ID,
      CONVERSATION_ID: CHANNELS.emea,
    });
    const refused = {
      "another app's token": sign({}, { audience: "5b0c1d2e-0000-4000-8000-000000000000" }),
      "another issuer's token": sign({}, { issuer: "https://api.somewhere-else.test" }),
      "an expired token": sign({}, { expiresIn: "-10m" }),
      "a token for another service URL": sign({ serviceurl: "https://smba.evil.test/" }),
      "a token without a key id": `Bearer ${jwt.sign({ serviceurl: fake.serviceUrl }, key.privateKey, {
        algorithm: "RS256",
        issuer: TOKEN_ISSUER,
        audience: APP_ID,
        expiresIn: "5m",
      })}`,
      "a token that is not a JWT": "Bearer not-a-token",
      "another scheme": `Basic ${Buffer.from(`${APP_ID}:secret`).toString("base64")}`,
    };
    const statuses = Object.fromEntries(
      await Promise.all(
        Object.entries(refused).map(
          async ([what, authorization]) => [what, (await postActivity(t.url, install, authorization)).status] as const,
        ),
      ),
    );
    expect(statuses).toEqual(Object.fromEntries(Object.keys(refused).map((what) => [what, 401])));
    expect(await t.db.prisma.conversationRef.count()).toBe(0);

    expect((await postActivity(t.url, install, `Bearer ${channelToken(key, fake.serviceUrl)}`)).status).toBe(200);
    expect(await t.db.prisma.conversationRef.count()).toBe(1);
  });
});
