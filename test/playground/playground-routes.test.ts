/**
 * The playground over HTTP: on in local mode only (or when asked), this machine's browser only, the MQL form going
 * through the real, signed intake, card clicks through the handoff, and the live feed as server-sent events.
 */
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type BatonConfig, EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

const SECRET = "playground-test-secret";
const CHAT = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: "slack-secret", INTAKE_SIGNING_SECRET: SECRET };

/** The example configuration with teams working round the clock (the suggested rep does not depend on the hour). */
function exampleConfig(): BatonConfig {
  const example = loadBatonConfig(EXAMPLE_CONFIG_PATH);
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
  return {
    ...example,
    teams: example.teams.map((team) => ({ ...team, workingHours: { days: [...days], start: "00:00", end: "24:00" } })),
  };
}

const EMEA_MQL = {
  source: "hubspot",
  externalId: "pg-1",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  region: "EMEA",
  employees: 250,
};

/** A raw request, so that Host, Origin and X-Forwarded-For can be set as a browser or a proxy would. */
function request(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${options.path}`,
      { method: options.method ?? "GET", headers: options.headers },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const postJson = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  request(url, {
    method: "POST",
    path,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("playground routes", () => {
  let baton: TestBaton | undefined;
  afterEach(async () => {
    await baton?.stop();
    baton = undefined;
  });

  it("is served in local mode and lists the configuration's conversations", async () => {
    baton = await startTestBaton({ batonConfig: exampleConfig() });
    const page = await request(baton.url, { path: "/" });
    expect(page.status).toBe(200);
    expect(page.text).toContain("<title>Baton playground</title>");
    for (const conversation of [
      "console:emea-sales",
      "console:marketing",
      "console:sales-managers",
      "console:revenue-weekly",
    ]) {
      expect(page.text).toContain(`data-conversation="${conversation}"`);
    }
    const script = await request(baton.url, { path: "/playground/assets/adaptivecards.min.js" });
    expect(script.status).toBe(200);
    expect(script.text).toContain("AdaptiveCards");
  });

  it("is off once chat credentials are set, and on again with BATON_PLAYGROUND=on", async () => {
    baton = await startTestBaton({ env: CHAT, batonConfig: exampleConfig() });
    expect((await request(baton.url, { path: "/" })).status).toBe(404);
    expect((await postJson(baton.url, "/playground/command", { text: "help" })).status).toBe(404);
    await baton.stop();
    baton = await startTestBaton({ env: { ...CHAT, BATON_PLAYGROUND: "on" }, batonConfig: exampleConfig() });
    expect((await request(baton.url, { path: "/" })).status).toBe(200);
  });

  it("is off in local mode with BATON_PLAYGROUND=off", async () => {
    baton = await startTestBaton({ env: { BATON_PLAYGROUND: "off" }, batonConfig: exampleConfig() });
    expect((await request(baton.url, { path: "/" })).status).toBe(404);
  });

  it.each([
    ["another machine, through a local proxy", { path: "/", headers: { "x-forwarded-for": "203.0.113.9" } }],
    ["a host name that is not this machine's (DNS rebinding)", { path: "/", headers: { host: "attacker.example" } }],
  ])("refuses %s", async (_case, options) => {
    baton = await startTestBaton({ batonConfig: exampleConfig() });
    const answer = await request(baton.url, options);
    expect(answer.status).toBe(403);
    expect(answer.text).not.toContain("<html");
  });

  it("refuses posts from another site and posts that are not JSON", async () => {
    baton = await startTestBaton({ batonConfig: exampleConfig() });
    const crossSite = await postJson(
      baton.url,
      "/playground/command",
      { text: "help" },
      { origin: "http://evil.example" },
    );
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.text).message).toBe("Cross-site requests are refused.");
    const form = await request(baton.url, {
      method: "POST",
      path: "/playground/command",
      headers: { "content-type": "text/plain" },
      body: '{"text":"help"}',
    });
    expect(form.status).toBe(403);
    const sameSite = await postJson(baton.url, "/playground/command", { text: "/baton help" }, { origin: baton.url });
    expect(sameSite.status).toBe(200);
    expect(JSON.parse(sameSite.text).reply).toContain("accept <lead id> as <rep>");
  });

  it("sends the MQL through the real intake, signed by the server when a secret is set", async () => {
    baton = await startTestBaton({
      env: { ...CHAT, BATON_PLAYGROUND: "on" },
      batonConfig: { ...exampleConfig(), teams: exampleConfig().teams },
    });
    // Unsigned, the intake refuses it: the playground's success below is its signature's.
    expect((await postJson(baton.url, "/webhooks/mql", EMEA_MQL)).status).toBe(401);
    const sent = await postJson(baton.url, "/playground/mql", { mql: JSON.stringify(EMEA_MQL) });
    expect(sent.status).toBe(200);
    const { status, answer } = JSON.parse(sent.text);
    expect(status).toBe(202);
    expect(answer.status).toBe("created");
    const lead = await baton.db.prisma.lead.findUniqueOrThrow({ where: { id: answer.leadId } });
    expect(lead).toMatchObject({ email: "ada@example.com", teamId: "emea-sales", status: "offered" });

    const invalid = await postJson(baton.url, "/playground/mql", { mql: '{"source": "hubspot"' });
    expect(JSON.parse(invalid.text).status).toBe(400);
  });

  it("acts on a card as the chosen rep, through the handoff, and streams the card's update", async () => {
    baton = await startTestBaton({ batonConfig: exampleConfig() });
    const events: string[] = [];
    let streamEnded = false;
    const stream = http.get(`${baton.url}/playground/events?after=0`, (res) => {
      res.on("end", () => {
        streamEnded = true;
      });
      expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => events.push(chunk));
    });
    try {
      const sent = JSON.parse((await postJson(baton.url, "/playground/mql", { mql: JSON.stringify(EMEA_MQL) })).text);
      const leadId = sent.answer.leadId as string;
      await expect.poll(() => events.join(""), { timeout: 20_000 }).toContain("New lead: Ada Lovelace");

      const outsider = await postJson(baton.url, "/playground/actions", {
        action: "lead_accept",
        leadId,
        rep: "grace",
      });
      expect(JSON.parse(outsider.text)).toMatchObject({ status: "refused" });

      const unknownRep = await postJson(baton.url, "/playground/actions", {
        action: "lead_accept",
        leadId,
        rep: "nobody",
      });
      expect(unknownRep.status).toBe(400);

      const accepted = await postJson(baton.url, "/playground/actions", { action: "lead_accept", leadId, rep: "ada" });
      expect(JSON.parse(accepted.text)).toEqual({ status: "done", notice: "Accepted by Ada Lovelace." });
      const lead = await baton.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
      expect(lead).toMatchObject({ status: "accepted", ownerRepId: "ada" });
      await expect.poll(() => events.join(""), { timeout: 20_000 }).toContain("Accepted by Ada Lovelace");
      // The update names the message it replaces, with the Slack and the Teams rendering both inside.
      const update = events
        .join("")
        .split("\n\n")
        .map((block) => block.match(/^data: (.*)$/m)?.[1])
        .filter((data): data is string => Boolean(data))
        .map((data) => JSON.parse(data))
        .find((event) => event.conversation === "console:emea-sales" && event.html.includes("Accepted by"));
      expect(update.html).toContain('class="slack-view"');
      expect(update.html).toContain("data-card=");

      // Stopping Baton ends the open streams, so that the server need not wait for browsers to leave.
      baton.baton.playground?.close();
      await expect.poll(() => streamEnded, { timeout: 20_000 }).toBe(true);
    } finally {
      stream.destroy();
    }
  });

  it("asks for the reason on the Teams card, and keeps the choice when the comment is missing", async () => {
    const running = await startTestBaton({ batonConfig: exampleConfig() });
    baton = running;
    const sent = JSON.parse((await postJson(running.url, "/playground/mql", { mql: JSON.stringify(EMEA_MQL) })).text);
    const leadId = sent.answer.leadId as string;
    const click = (body: Record<string, unknown>) =>
      postJson(running.url, "/playground/actions", {
        action: "lead_reject",
        leadId,
        rep: "ada",
        view: "teams",
        ...body,
      });

    const first = JSON.parse((await click({})).text);
    expect(first.status).toBe("reason_needed");
    expect(first.rejectForm.actions.map((action: { title: string }) => action.title)).toEqual([
      "Reject lead",
      "Cancel",
    ]);

    const missingComment = JSON.parse((await click({ reason: "other" })).text);
    expect(missingComment.status).toBe("invalid");
    expect(Object.keys(missingComment.errors)).toEqual(["comment"]);
    const reasonInput = missingComment.rejectForm.body.find((element: { id?: string }) => element.id === "reason");
    expect(reasonInput.value).toBe("other");

    const done = JSON.parse((await click({ reason: "wrong_territory" })).text);
    expect(done).toEqual({ status: "done", notice: "Rejected. Re-routed to Inside Sales." });
  });

  it("records a won deal from the Teams view's form, and points the Slack view at the command", async () => {
    const running = await startTestBaton({ batonConfig: exampleConfig() });
    baton = running;
    const sent = JSON.parse((await postJson(running.url, "/playground/mql", { mql: JSON.stringify(EMEA_MQL) })).text);
    const leadId = sent.answer.leadId as string;
    const act = async (body: Record<string, unknown>) =>
      JSON.parse((await postJson(running.url, "/playground/actions", { leadId, rep: "ada", ...body })).text);
    expect(await act({ action: "lead_accept" })).toMatchObject({ status: "done" });
    expect(await act({ action: "lead_won", view: "teams" })).toEqual({
      status: "refused",
      notice: "Can't mark the lead won: the lead is not an SQL yet: mark it as SQL first.",
    });
    expect(await act({ action: "lead_mark_sql" })).toMatchObject({ status: "done" });

    expect(await act({ action: "lead_won", view: "slack" })).toEqual({
      status: "refused",
      notice: `Slack asks for this in a modal: here, type \`won ${leadId} as ada <amount> [currency]\` in the command box, or use the Teams view.`,
    });
    const form = await act({ action: "lead_won", view: "teams" });
    expect(form.status).toBe("reason_needed");
    expect(form.rejectForm.actions.map((action: { title: string }) => action.title)).toEqual(["Mark won", "Cancel"]);
    const typo = await act({
      action: "lead_won",
      view: "teams",
      form: "deal_outcome",
      amount: "lots",
      currency: "EUR",
    });
    expect(typo).toMatchObject({ status: "invalid", errors: { amount: expect.stringContaining("as a number") } });
    const won = await act({
      action: "lead_won",
      view: "teams",
      form: "deal_outcome",
      amount: "4,500",
      currency: "EUR",
    });
    expect(won).toEqual({ status: "done", notice: "Recorded." });
    expect(await running.db.prisma.deal.findMany({ where: { leadId } })).toMatchObject([
      { outcome: "won", currency: "EUR" },
    ]);
  });
});
