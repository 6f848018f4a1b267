import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskUrlPassword } from "../src/logger.ts";

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger("info", destination), output: () => lines.join("") };
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
});
