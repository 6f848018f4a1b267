import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { parseEnv } from "../../src/config/env.ts";

/** Parses and returns the ConfigError it must throw. */
function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(Object.keys(env))}`);
}

describe("parseEnv", () => {
  it("defaults to port 3000, PGlite in .data and local mode", () => {
    const config = parseEnv({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: "pglite", dataDir: ".data" });
    expect(config.localMode).toBe(true);
    expect(config.slack).toBeUndefined();
    expect(config.teams).toBeUndefined();
    expect(config.slackApiUrl).toBe("https://slack.com/api/");
    expect(config.logLevel).toBe("info");
  });

  it("turns the read API on with BATON_API_TOKEN, refusing a short token without echoing it", () => {
    expect(parseEnv({}).apiToken).toBeUndefined();
    expect(parseEnv({ BATON_API_TOKEN: "  read-api-token-0123  " }).apiToken).toBe("read-api-token-0123");
    const error = configErrorFor({ BATON_API_TOKEN: "short-s3cret" });
    expect(error.message).toBe(
      "Invalid environment: BATON_API_TOKEN: must be at least 16 characters (it guards the read API)",
    );
    expect(error.message).not.toContain("short-s3cret");
  });

  it("allows Teams tenants from MICROSOFT_ALLOWED_TENANTS, else the app's own tenant, else any", () => {
    const teams = { MICROSOFT_APP_ID: "app", MICROSOFT_APP_PASSWORD: "pw", INTAKE_SIGNING_SECRET: "s" };
    expect(parseEnv({ ...teams, MICROSOFT_APP_TENANT_ID: "Home-Tenant" }).teams?.allowedTenants).toEqual([
      "home-tenant",
    ]);
    expect(
      parseEnv({ ...teams, MICROSOFT_APP_TENANT_ID: "home", MICROSOFT_ALLOWED_TENANTS: " A-1, b-2 ,," }).teams
        ?.allowedTenants,
    ).toEqual(["a-1", "b-2"]);
    expect(
      parseEnv({ ...teams, MICROSOFT_APP_TENANT_ID: "home", MICROSOFT_ALLOWED_TENANTS: "*" }).teams?.allowedTenants,
    ).toBeUndefined();
    expect(parseEnv(teams).teams?.allowedTenants).toBeUndefined();
  });

  it("uses PostgreSQL when DATABASE_URL is set", () => {
    const config = parseEnv({ DATABASE_URL: "postgresql://baton:pw@db.internal:5432/baton" });
    expect(config.database).toEqual({ kind: "postgres", url: "postgresql://baton:pw@db.internal:5432/baton" });
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x"],
    ["DATABASE_URL", "not a url"],
  ])("rejects %s=%s with one line naming the variable", (name, value) => {
    const error = configErrorFor({ [name]: value });
    expect(error.message).toContain(name);
    expect(error.message).not.toContain("\n");
  });

  it("wants SLACK_SIGNING_SECRET with SLACK_BOT_TOKEN, without echoing the token", () => {
    const error = configErrorFor({ SLACK_BOT_TOKEN: "xoxb-very-secret-token", INTAKE_SIGNING_SECRET: "intake-s3cret" });
    expect(error.message).toContain("SLACK_SIGNING_SECRET");
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain("xoxb-very-secret-token");
    expect(error.message).not.toContain("intake-s3cret");
  });

  it.each([
    [{ SLACK_BOT_TOKEN: "xoxb-very-secret-token", SLACK_SIGNING_SECRET: "slack-signing-s3cret" }],
    [{ MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000001", MICROSOFT_APP_PASSWORD: "teams-pa55word" }],
  ])("wants INTAKE_SIGNING_SECRET once chat credentials are set", (env) => {
    const error = configErrorFor(env);
    expect(error.message).toContain("INTAKE_SIGNING_SECRET");
    expect(error.message).not.toContain("\n");
    for (const secret of Object.values(env)) expect(error.message).not.toContain(secret);
  });

  it("leaves local mode when Slack is fully configured", () => {
    const config = parseEnv({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      INTAKE_SIGNING_SECRET: "i",
    });
    expect(config.localMode).toBe(false);
    expect(config.slack).toEqual({
      mode: "http",
      botToken: "xoxb-1",
      signingSecret: "s",
      apiUrl: "https://slack.com/api/",
    });
  });

  it("runs Slack in Socket Mode with SLACK_APP_TOKEN: no signing secret needed, SLACK_API_URL kept", () => {
    const config = parseEnv({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_APP_TOKEN: "xapp-1-A0BATON01-123-abc",
      SLACK_API_URL: "http://127.0.0.1:9999/api",
      INTAKE_SIGNING_SECRET: "i",
    });
    expect(config.localMode).toBe(false);
    expect(config.slack).toEqual({
      mode: "socket",
      botToken: "xoxb-1",
      appToken: "xapp-1-A0BATON01-123-abc",
      apiUrl: "http://127.0.0.1:9999/api/",
    });
    // An app moved to Socket Mode may keep its signing secret in .env: Socket Mode still wins.
    expect(
      parseEnv({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "s",
        SLACK_APP_TOKEN: "xapp-1",
        INTAKE_SIGNING_SECRET: "i",
      }).slack?.mode,
    ).toBe("socket");
  });

  it.each([
    ["a bot token", "xoxb-not-an-app-token", "SLACK_APP_TOKEN"],
    ["anything else", "my app token", "SLACK_APP_TOKEN"],
  ])("rejects %s as SLACK_APP_TOKEN, naming the variable and not the value", (_kind, value, culprit) => {
    const error = configErrorFor({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: value, INTAKE_SIGNING_SECRET: "i" });
    expect(error.message).toContain(culprit);
    expect(error.message).toContain("xapp-");
    expect(error.message).not.toContain(value);
    expect(error.message).not.toContain("\n");
  });

  it("wants SLACK_BOT_TOKEN with SLACK_APP_TOKEN", () => {
    const error = configErrorFor({ SLACK_APP_TOKEN: "xapp-1-secret", INTAKE_SIGNING_SECRET: "i" });
    expect(error.message).toContain("SLACK_BOT_TOKEN");
    expect(error.message).toContain("SLACK_APP_TOKEN");
    expect(error.message).not.toContain("xapp-1-secret");
  });

  it("wants INTAKE_SIGNING_SECRET in Socket Mode too", () => {
    const error = configErrorFor({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" });
    expect(error.message).toContain("INTAKE_SIGNING_SECRET");
  });

  it("gives SLACK_API_URL a trailing slash", () => {
    expect(parseEnv({ SLACK_API_URL: "http://127.0.0.1:9999/api" }).slackApiUrl).toBe("http://127.0.0.1:9999/api/");
    expect(parseEnv({ SLACK_API_URL: "https://slack-gov.com/api/" }).slackApiUrl).toBe("https://slack-gov.com/api/");
  });

  it("serves the playground in local mode only, unless BATON_PLAYGROUND says otherwise", () => {
    const chat = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", INTAKE_SIGNING_SECRET: "i" };
    expect(parseEnv({}).playground).toBe(true);
    expect(parseEnv({ BATON_PLAYGROUND: "off" }).playground).toBe(false);
    expect(parseEnv(chat).playground).toBe(false);
    expect(parseEnv({ ...chat, BATON_PLAYGROUND: "on" }).playground).toBe(true);
    expect(configErrorFor({ BATON_PLAYGROUND: "yes" }).message).toContain("BATON_PLAYGROUND");
  });
});
