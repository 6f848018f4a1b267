/**
 * The process environment, parsed once at start-up. Nothing else in Baton reads `process.env`.
 * A bad value stops start-up with a one-line message naming the variable (never its secret value).
 */
import { z } from "zod";
import { ConfigError, describeIssue } from "./config-error.ts";

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a ${protocols.map((p) => `${p}//`).join(" or ")} URL`,
    );

const ZEnv = z
  .object({
    PORT: z
      .string()
      .optional()
      .transform((value) => value?.trim() || "3000")
      .pipe(
        z
          .string()
          .regex(/^\d+$/, "must be a whole number from 1 to 65535")
          .transform(Number)
          .pipe(z.number().int().min(1, "must be from 1 to 65535").max(65535, "must be from 1 to 65535")),
      ),
    DATABASE_URL: optionalText.pipe(
      url(["postgres:", "postgresql:"])
        // zod runs this check even when the URL check above failed: an unparseable value must not throw here.
        .refine((value) => URL.canParse(value) && new URL(value).hostname !== "", "must name a host")
        .optional(),
    ),
    BATON_DATA_DIR: optionalText.transform((value) => value ?? ".data"),
    BATON_CONFIG: optionalText,
    INTAKE_SIGNING_SECRET: optionalText,
    HUBSPOT_CLIENT_SECRET: optionalText,
    SLACK_BOT_TOKEN: optionalText,
    SLACK_SIGNING_SECRET: optionalText,
    // An app-level token, not the bot token: a bot token here would fail only later, at Slack, with a vaguer error.
    SLACK_APP_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^xapp-\S+$/, "must be a Slack app-level token (xapp-…), from Basic Information > App-Level Tokens")
        .optional(),
    ),
    SLACK_API_URL: optionalText
      .transform((value) => value ?? "https://slack.com/api/")
      .pipe(url(["https:", "http:"]))
      .transform((value) => (value.endsWith("/") ? value : `${value}/`)),
    MICROSOFT_APP_ID: optionalText,
    MICROSOFT_APP_PASSWORD: optionalText,
    MICROSOFT_APP_TENANT_ID: optionalText,
    MICROSOFT_ALLOWED_TENANTS: optionalText.transform((value) =>
      value
        ?.split(",")
        .map((tenant) => tenant.trim().toLowerCase())
        .filter(Boolean),
    ),
    MICROSOFT_APP_TYPE: optionalText.pipe(z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional()),
    BOTFRAMEWORK_OPENID_METADATA_URL: optionalText.pipe(url(["https:", "http:"]).optional()),
    BOTFRAMEWORK_TOKEN_ISSUER: optionalText,
    BOTFRAMEWORK_LOGIN_URL: optionalText.pipe(url(["https:", "http:"]).optional()),
    BATON_PLAYGROUND: optionalText.pipe(z.enum(["on", "off"]).optional()),
    BATON_API_TOKEN: optionalText.pipe(
      z.string().min(16, "must be at least 16 characters (it guards the read API)").optional(),
    ),
    LOG_LEVEL: optionalText
      .transform((value) => value ?? "info")
      .pipe(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])),
  })
  .superRefine((env, ctx) => {
    const pair = (a: keyof typeof env, b: keyof typeof env) => {
      if (Boolean(env[a]) !== Boolean(env[b])) {
        const missing = env[a] ? b : a;
        ctx.addIssue({ code: "custom", path: [missing], message: `is required when ${missing === a ? b : a} is set` });
      }
    };
    // Socket Mode needs no signing secret: Slack authenticates the WebSocket Baton opens with the app token.
    if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["SLACK_BOT_TOKEN"], message: "is required when SLACK_APP_TOKEN is set" });
    } else if (!env.SLACK_APP_TOKEN) {
      pair("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET");
    }
    pair("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD");
    const chatConfigured = Boolean(env.SLACK_BOT_TOKEN || env.MICROSOFT_APP_ID);
    if (chatConfigured && !env.INTAKE_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["INTAKE_SIGNING_SECRET"],
        message: "is required once Slack or Teams credentials are set (webhooks must be signed outside local mode)",
      });
    }
    if (env.MICROSOFT_APP_TYPE === "SingleTenant" && !env.MICROSOFT_APP_TENANT_ID) {
      ctx.addIssue({ code: "custom", path: ["MICROSOFT_APP_TENANT_ID"], message: "is required for SingleTenant apps" });
    }
  });

export type Env = z.output<typeof ZEnv>;

/**
 * How Slack reaches Baton: over HTTP at `POST /slack/events` (signed requests), or in Socket Mode, where Baton opens
 * an outgoing WebSocket with the app-level token and needs no public URL.
 */
export type SlackConfig = { botToken: string; apiUrl: string } & (
  | { mode: "http"; signingSecret: string }
  | { mode: "socket"; appToken: string }
);

export interface RuntimeConfig {
  port: number;
  database: { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };
  configFile: string | undefined;
  intakeSigningSecret: string | undefined;
  hubspotClientSecret: string | undefined;
  slack: SlackConfig | undefined;
  /** Slack Web API base URL, also kept when Slack is off so that tools and tests agree on it. */
  slackApiUrl: string;
  teams:
    | {
        appId: string;
        appPassword: string;
        tenantId: string | undefined;
        appType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
        /**
         * Tenants whose activities Baton accepts (lower case); `undefined`: any tenant. From
         * MICROSOFT_ALLOWED_TENANTS (`*` for any), else the app's own tenant when MICROSOFT_APP_TENANT_ID is set.
         */
        allowedTenants: string[] | undefined;
      }
    | undefined;
  botFramework: { openIdMetadataUrl?: string; tokenIssuer?: string; loginUrl?: string };
  /** Bearer token of the read API (`/api/kpi`, …) and `/metrics`; unset: both are off. */
  apiToken: string | undefined;
  /** No chat credentials: cards and messages are printed to the console. */
  localMode: boolean;
  /** The browser playground at `/`: on by default in local mode only (BATON_PLAYGROUND=on|off overrides). */
  playground: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

/** Parses the environment into Baton's runtime configuration, or throws a {@link ConfigError} naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): RuntimeConfig {
  const result = ZEnv.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`Invalid environment: ${describeIssue(issue)}`);
  }
  const env = result.data;
  // With both set, Socket Mode wins: the signing secret of an app moved to Socket Mode is simply not needed.
  const slack: SlackConfig | undefined = !env.SLACK_BOT_TOKEN
    ? undefined
    : env.SLACK_APP_TOKEN
      ? { mode: "socket", botToken: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL, appToken: env.SLACK_APP_TOKEN }
      : env.SLACK_SIGNING_SECRET
        ? {
            mode: "http",
            botToken: env.SLACK_BOT_TOKEN,
            apiUrl: env.SLACK_API_URL,
            signingSecret: env.SLACK_SIGNING_SECRET,
          }
        : undefined;
  const teams =
    env.MICROSOFT_APP_ID && env.MICROSOFT_APP_PASSWORD
      ? {
          appId: env.MICROSOFT_APP_ID,
          appPassword: env.MICROSOFT_APP_PASSWORD,
          tenantId: env.MICROSOFT_APP_TENANT_ID,
          appType: env.MICROSOFT_APP_TYPE ?? (env.MICROSOFT_APP_TENANT_ID ? "SingleTenant" : "MultiTenant"),
          allowedTenants: env.MICROSOFT_ALLOWED_TENANTS?.includes("*")
            ? undefined
            : env.MICROSOFT_ALLOWED_TENANTS?.length
              ? env.MICROSOFT_ALLOWED_TENANTS
              : env.MICROSOFT_APP_TENANT_ID
                ? [env.MICROSOFT_APP_TENANT_ID.toLowerCase()]
                : undefined,
        }
      : undefined;
  return {
    port: env.PORT,
    database: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL }
      : { kind: "pglite", dataDir: env.BATON_DATA_DIR },
    configFile: env.BATON_CONFIG,
    intakeSigningSecret: env.INTAKE_SIGNING_SECRET,
    hubspotClientSecret: env.HUBSPOT_CLIENT_SECRET,
    slack,
    slackApiUrl: env.SLACK_API_URL,
    teams,
    botFramework: {
      openIdMetadataUrl: env.BOTFRAMEWORK_OPENID_METADATA_URL,
      tokenIssuer: env.BOTFRAMEWORK_TOKEN_ISSUER,
      loginUrl: env.BOTFRAMEWORK_LOGIN_URL,
    },
    apiToken: env.BATON_API_TOKEN,
    localMode: !slack && !teams,
    playground: env.BATON_PLAYGROUND ? env.BATON_PLAYGROUND === "on" : !slack && !teams,
    logLevel: env.LOG_LEVEL,
  };
}
