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
    expect(config.slack).toMatchObject({ botToken: "xoxb-1", signingSecret: "s" });
  });

  it("gives SLACK_API_URL a trailing slash", () => {
    expect(parseEnv({ SLACK_API_URL: "http://127.0.0.1:9999/api" }).slackApiUrl).toBe("http://127.0.0.1:9999/api/");
    expect(parseEnv({ SLACK_API_URL: "https://slack-gov.com/api/" }).slackApiUrl).toBe("https://slack-gov.com/api/");
  });
});
