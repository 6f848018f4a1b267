/** Bolt and the WebClient log through @slack/logger's interface; this sends those lines to Baton's pino logger. */
import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../logger.ts";

/**
 * At debug level the WebClient logs every request and response body: lead cards with names and email addresses.
 * Personal data stays out of the logs at every level, so those lines are dropped; the calls themselves
 * (`apicall('chat.update') start`) still show.
 */
const CARRIES_BODIES = /^http request body|^http request result/;

export function toSlackLogger(logger: Logger): SlackLogger {
  let child = logger.child({ component: "slack-sdk" });
  let level = LogLevel.INFO;
  const write =
    (pinoLevel: "debug" | "info" | "warn" | "error") =>
    (...messages: unknown[]) => {
      const line = messages.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(" ");
      if (CARRIES_BODIES.test(line)) return;
      child[pinoLevel](line);
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    // Baton's LOG_LEVEL decides what is written; the SDK's own level is only remembered for it to read back.
    setLevel(next) {
      level = next;
    },
    getLevel: () => level,
    setName(name) {
      child = logger.child({ component: name });
    },
  };
}
