/** Structured logs (pino). Secrets are redacted wherever they might appear in a logged object. */
import { type Logger, pino } from "pino";

export type { Logger };

/** Keys whose values are secrets wherever they appear (pino has no recursive wildcard: up to three levels deep). */
const SECRET_KEYS = [
  "password",
  "token",
  "secret",
  "botToken",
  "signingSecret",
  "appToken",
  "appPassword",
  "intakeSigningSecret",
  "hubspotClientSecret",
  "connectionString",
  "databaseUrl",
];

const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  // A database URL may carry its password; request URLs (`req.url`) stay visible.
  "database.url",
  "*.database.url",
  "req.headers.authorization",
  'req.headers["x-baton-signature"]',
  'req.headers["x-slack-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  "headers.authorization",
  "*.headers.authorization",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: { service: "baton" } },
    destination,
  );
}

/** `postgresql://user:secret@host/db` → `postgresql://user:***@host/db`, for messages that name a database. */
export function maskUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
