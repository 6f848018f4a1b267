/** Bolt and the WebClient log through @slack/logger's interface; this sends those lines to Baton's pino logger. */
import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../logger.ts";

export function toSlackLogger(logger: Logger): SlackLogger {
  let child = logger.child({ component: "slack-sdk" });
  let level = LogLevel.INFO;
  const write =
    (pinoLevel: "debug" | "info" | "warn" | "error") =>
    (...messages: unknown[]) => {
      child[pinoLevel](messages.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(" "));
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
