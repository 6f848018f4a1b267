/** `GET /metrics`: Prometheus text behind the read API's bearer token, counting what Baton did. */
import { afterEach, describe, expect, it } from "vitest";
import { ADA, INTAKE_SECRET, postSigned, prepareTestDatabases } from "../intake/intake-support.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

prepareTestDatabases(["pglite"]);

const TOKEN = "metrics-test-token";

/** The value of one sample line, e.g. `baton_mqls_received_total{route="mql",source="hubspot",outcome="created"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  let t: TestBaton;
  afterEach(async () => {
    await t?.stop();
  });

  it("is off (404) while BATON_API_TOKEN is unset", async () => {
    t = await startTestBaton({ env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET } });
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
  });

  it("answers 401 without the token or with a wrong one, and counts intake, deliveries and the outbox", async () => {
    t = await startTestBaton({ env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET, BATON_API_TOKEN: TOKEN } });
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${t.url}/metrics`, { headers: { authorization: "Bearer not-the-token" } });
    expect(wrong.status).toBe(401);

    expect((await postSigned(t.url, ADA)).status).toBe(202);
    expect((await postSigned(t.url, ADA)).status).toBe(202);
    expect((await postSigned(t.url, { ...ADA, email: "not an email" })).status).toBe(400);
    expect((await postSigned(t.url, ADA, { secret: "wrong" })).status).toBe(401);
    const scrape = async () => {
      const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.text();
    };
    const before = await scrape();
    const mqls = (source: string, outcome: string) =>
      `baton_mqls_received_total{route="mql",source="${source}",outcome="${outcome}"}`;
    expect(sample(before, mqls("hubspot", "created"))).toBe(1);
    expect(sample(before, mqls("hubspot", "duplicate"))).toBe(1);
    expect(sample(before, mqls("hubspot", "invalid"))).toBe(1);
    // The signature failed before the body was read as JSON: its source is not trusted for a label.
    expect(sample(before, mqls("unknown", "unauthorized"))).toBe(1);
    expect(sample(before, 'baton_intake_duration_seconds_count{route="mql"}')).toBe(4);
    expect(sample(before, 'baton_outbox_messages{status="failed"}')).toBe(0);

    const pending = sample(before, 'baton_outbox_messages{status="pending"}') ?? 0;
    const sentEarlier = sample(before, 'baton_outbox_deliveries_total{platform="console",outcome="sent"}') ?? 0;
    expect(pending + sentEarlier).toBe(1);
    await t.baton.outbox.drain();
    const after = await scrape();
    expect(sample(after, 'baton_outbox_messages{status="pending"}')).toBe(0);
    expect(sample(after, 'baton_outbox_deliveries_total{platform="console",outcome="sent"}')).toBe(1);
    expect(sample(after, "baton_outbox_oldest_due_seconds")).toBe(0);
    // A message due five minutes ago and still not out shows as the queue's age.
    await t.db.prisma.outboxMessage.create({
      data: {
        idempotencyKey: "stuck",
        kind: "post",
        conversation: "console:nowhere",
        payload: {},
        nextAttemptAt: new Date(Date.now() - 300_000),
      },
    });
    const stuck = sample(await scrape(), "baton_outbox_oldest_due_seconds") ?? 0;
    expect(stuck).toBeGreaterThanOrEqual(300);
    expect(stuck).toBeLessThan(400);
    expect(after).toContain("baton_process_resident_memory_bytes");
  });

  it("counts accepts and rejects by outcome, whichever platform they come from", async () => {
    t = await startTestBaton({ env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET, BATON_API_TOKEN: TOKEN } });
    expect((await postSigned(t.url, ADA)).status).toBe(202);
    const offer = await t.db.prisma.offer.findFirstOrThrow();
    const rep = await t.db.prisma.rep.findFirstOrThrow({ where: { teamId: offer.teamId } });
    const stranger = await t.db.prisma.rep.findFirstOrThrow({ where: { teamId: { not: offer.teamId } } });
    const { handoff } = t.baton;
    expect(await handoff.acceptLead(offer.leadId, { user: `console:${stranger.id}` })).toMatchObject({
      outcome: "refused",
    });
    expect(await handoff.acceptLead(offer.leadId, { user: `console:${rep.id}` })).toMatchObject({
      outcome: "accepted",
    });
    expect(await handoff.acceptLead(offer.leadId, { user: `console:${rep.id}` })).toMatchObject({
      outcome: "already_decided",
    });
    expect(await handoff.rejectLead(offer.leadId, { user: `console:${rep.id}` }, { reason: "other" })).toMatchObject({
      outcome: "invalid",
    });
    const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await response.text();
    const decisions = (decision: string, outcome: string) =>
      sample(text, `baton_handoff_decisions_total{decision="${decision}",outcome="${outcome}"}`);
    expect(decisions("accept", "refused")).toBe(1);
    expect(decisions("accept", "accepted")).toBe(1);
    expect(decisions("accept", "already_decided")).toBe(1);
    expect(decisions("reject", "invalid")).toBe(1);
    expect(decisions("reject", "rejected")).toBeUndefined();
  });
});
