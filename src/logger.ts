/**
 * Structured logs (pino). Secrets are redacted wherever they might appear in a logged object.
 * JSON lines for machines; in a terminal, one readable line per entry (pino-pretty), so local mode's cards are not
 * lost between JSON.
 */
import { type Logger, pino } from "pino";
import PinoPretty from "pino-pretty";

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

export interface LoggerOptions {
  /** Human-readable lines instead of JSON: for a person at a terminal (`process.stdout.isTTY`). */
  pretty?: boolean;
}

export function createLogger(level: string, destination?: pino.DestinationStream, options: LoggerOptions = {}): Logger {
  const settings = { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: { service: "baton" } };
  if (!options.pretty) return pino(settings, destination);
  const pretty = PinoPretty({
    destination: destination ?? 1,
    // Synchronous, so that a log line and the card printed right after it stay in order.
    sync: true,
    colorize: destination === undefined && Boolean(process.stdout.isTTY),
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname,service",
    singleLine: true,
  });
  return pino(settings, pretty);
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
