/** Structured logs (pino). Secrets are redacted wherever they might appear in a logged object. */
import { type Logger, pino } from "pino";

export type { Logger };

const REDACTED_PATHS = [
  "password",
  "token",
  "secret",
  "*.password",
  "*.token",
  "*.secret",
  "*.botToken",
  "*.signingSecret",
  "*.appPassword",
  "*.intakeSigningSecret",
  "*.hubspotClientSecret",
  "*.url",
  "req.headers.authorization",
  'req.headers["x-baton-signature"]',
  'req.headers["x-slack-signature"]',
  'req.headers["x-hubspot-signature-v3"]',
  "headers.authorization",
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
