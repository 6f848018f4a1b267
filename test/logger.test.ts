import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskUrlPassword } from "../src/logger.ts";

function capturingLogger(options: { pretty?: boolean } = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger("info", destination, options), output: () => lines.join("") };
}

describe("logger", () => {
  it("redacts secrets wherever config objects put them", () => {
    const { logger, output } = capturingLogger();
    logger.info(
      {
        password: "top-password",
        token: "top-token",
        config: {
          slack: {
            botToken: "xoxb-secret-bot-token",
            signingSecret: "slack-signing-secret",
            appToken: "xapp-secret-app-token",
          },
          teams: { appPassword: "teams-app-password" },
          intakeSigningSecret: "intake-signing-secret",
          hubspotClientSecret: "hubspot-client-secret",
        },
        database: { url: "postgresql://baton:db-password@db/baton" },
        req: { headers: { authorization: "Bearer bearer-secret", "x-baton-signature": "v1=signature-secret" } },
        leadId: "visible-lead-id",
      },
      "starting",
    );
    const text = output();
    for (const secret of [
      "top-password",
      "top-token",
      "xoxb-secret-bot-token",
      "slack-signing-secret",
      "xapp-secret-app-token",
      "teams-app-password",
      "intake-signing-secret",
      "hubspot-client-secret",
      "db-password",
      "bearer-secret",
      "signature-secret",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("[redacted]");
    expect(text).toContain("visible-lead-id");
  });

  it("keeps request URLs readable", () => {
    const { logger, output } = capturingLogger();
    logger.info({ req: { method: "POST", url: "/webhooks/mql" } }, "request completed");
    expect(output()).toContain('"url":"/webhooks/mql"');
  });

  it("masks the password of a database URL named in a message", () => {
    expect(maskUrlPassword("postgresql://baton:s3cret@db:5432/baton")).toBe("postgresql://baton:***@db:5432/baton");
    expect(maskUrlPassword("not a url")).not.toContain("not a url");
  });

  it("writes one readable line per entry for a terminal, secrets still redacted", () => {
    const { logger, output } = capturingLogger({ pretty: true });
    logger.info({ leadId: "lead-1", token: "top-token" }, "MQL received");
    logger.warn("slow down");
    const lines = output().trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: MQL received \{.*"leadId":"lead-1"/);
    expect(lines[0]).toContain("[redacted]");
    expect(lines[0]).not.toContain("top-token");
    expect(lines[1]).toMatch(/WARN: slow down$/);
    // No colour codes when writing anywhere but the terminal itself.
    expect(output()).not.toContain("\u001b[");
  });

  it("writes JSON when not told it is a terminal", () => {
    const { logger, output } = capturingLogger();
    logger.info("hello");
    expect(JSON.parse(output())).toMatchObject({ level: 30, msg: "hello", service: "baton" });
  });
});
