import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { importLeadsFromCsv } from "../../src/intake/import-csv.ts";
import { signHubspotV3 } from "../../src/intake/verify-signature.ts";
import { ENGINES, withPostgresAdmin } from "../support/databases.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";
import { ADA, INTAKE_SECRET, postSigned, prepareTestDatabases } from "./intake-support.ts";

// Every team works round the clock so that the suggested rep does not depend on when the test runs.
const config = parseBatonConfig(`
marketing: { channel: "console:marketing" }
teams:
  - id: emea
    name: EMEA Sales
    channel: "console:emea"
    timezone: Europe/London
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps:
      - { id: ada, name: Ada Lovelace, slackUserId: UADA }
      - { id: charles, name: Charles Babbage }
  - id: inside
    name: Inside Sales
    channel: "console:inside"
    timezone: UTC
    reps: [{ id: kath, name: Katherine Johnson }]
routing:
  rules: [{ id: emea-mid-market, team: emea, match: { region: [EMEA], segment: [mid-market] } }]
  fallbackTeam: inside
sla:
  defaultPolicy: standard
  policies: [{ id: standard, acceptWithin: 30m, firstTouchWithin: 4h }]
`);

prepareTestDatabases(ENGINES);

for (const engine of ENGINES) {
  describe(`POST /webhooks/mql [${engine}]`, () => {
    let baton: TestBaton;
    const start = async (env: Record<string, string> = { INTAKE_SIGNING_SECRET: INTAKE_SECRET }) => {
      baton = await startTestBaton({ engine, env, batonConfig: config });
      return baton;
    };
    afterEach(async () => {
      await baton?.stop();
    });

    it("stores a valid MQL once, routes it, and posts its card", async () => {
      const { url, db } = await start();
      const created = await postSigned(url, ADA);
      expect(created).toEqual({ status: 202, body: { leadId: expect.any(String), status: "created" } });

      const lead = await db.prisma.lead.findUniqueOrThrow({ where: { id: created.body.leadId as string } });
      expect(lead).toMatchObject({ email: "ada@example.com", status: "offered", teamId: "emea", country: "GB" });
      expect(lead.rawPayload).toMatchObject({ favouriteEngine: "difference", email: "  Ada@Example.COM " });
      const decision = await db.prisma.routingDecision.findFirstOrThrow({ where: { leadId: lead.id } });
      expect(decision.reason).toMatch(/^rule `emea-mid-market`: region=EMEA, segment=mid-market, employees 250/);
      expect(await db.prisma.slaClock.count({ where: { leadId: lead.id, kind: "accept", status: "running" } })).toBe(1);

      await baton.baton.outbox.drain();
      const printed = baton.consoleOutput.join("");
      expect(printed).toContain("console:emea");
      expect(printed).toContain("NEW LEAD: ADA LOVELACE · ANALYTICAL ENGINES");
      expect(printed).toContain("Routed to EMEA Sales: rule `emea-mid-market`");
      expect(printed).toContain("[ Accept ]  [ Reject ]");
      const offer = await db.prisma.offer.findFirstOrThrow({ where: { leadId: lead.id } });
      expect(offer.messageRef).toBe("1");

      const again = await postSigned(url, ADA);
      expect(again).toEqual({ status: 202, body: { leadId: lead.id, status: "duplicate" } });
      expect(await db.prisma.lead.count()).toBe(1);
      expect(await db.prisma.outboxMessage.count()).toBe(1);
    });

    it("stores 50 concurrent identical requests as one lead", async () => {
      const { url, db } = await start();
      const answers = await Promise.all(Array.from({ length: 50 }, () => postSigned(url, ADA)));
      expect(answers.filter((answer) => answer.status !== 202)).toEqual([]);
      expect(answers.filter((answer) => answer.body.status === "created")).toHaveLength(1);
      expect(new Set(answers.map((answer) => answer.body.leadId)).size).toBe(1);
      expect(await db.prisma.lead.count()).toBe(1);
      expect(await db.prisma.offer.count()).toBe(1);
      expect(await db.prisma.outboxMessage.count()).toBe(1);
    });

    it.each([
      ["missing", { signature: "" }],
      ["wrong", { secret: "not-the-secret" }],
      ["6 minutes old", { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ])("refuses a %s signature with 401 and stores nothing", async (_name, options) => {
      const { url, db } = await start();
      const answer = await postSigned(url, ADA, options);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toBe("unauthorized");
      expect(await db.prisma.lead.count()).toBe(0);
    });

    it("answers 400 naming the fields for malformed JSON and a missing email", async () => {
      const { url } = await start();
      const malformed = await postSigned(url, '{"source": "hubspot",');
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toMatch(/not valid JSON/);
      const { email: _email, ...withoutEmail } = ADA;
      const missing = await postSigned(url, { ...withoutEmail, country: "Britain" });
      expect(missing).toEqual({
        status: 400,
        body: {
          error: "invalid_input",
          message: expect.stringContaining("email is required"),
          details: { email: "is required", country: "must be a two-letter ISO country code" },
        },
      });
    });

    it("answers 413 for a body over 1 MiB", async () => {
      const { url, db } = await start();
      const answer = await postSigned(url, { ...ADA, notes: "x".repeat(2 * 1024 * 1024) });
      expect(answer.status).toBe(413);
      expect(await db.prisma.lead.count()).toBe(0);
    });

    it("answers 503 and stores nothing when the lead cannot be written", async () => {
      const { url, db } = await start();
      // Fail the last write of the transaction: the lead, its routing and its offer must all roll back.
      await db.prisma.$executeRawUnsafe(`
        CREATE FUNCTION refuse_outbox() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'outbox unavailable'; END; $$ LANGUAGE plpgsql`);
      await db.prisma.$executeRawUnsafe(
        `CREATE TRIGGER refuse_outbox BEFORE INSERT ON "OutboxMessage" FOR EACH ROW EXECUTE FUNCTION refuse_outbox()`,
      );
      const answer = await postSigned(url, ADA);
      expect(answer).toEqual({
        status: 503,
        body: { error: "unavailable", message: expect.stringContaining("nothing was saved") },
      });
      expect(await db.prisma.lead.count()).toBe(0);
      expect(await db.prisma.offer.count()).toBe(0);
      expect(await db.prisma.routingDecision.count()).toBe(0);
    });

    it("links a new MQL of a person whose lead is open instead of offering it twice", async () => {
      const { url, db } = await start();
      const first = await postSigned(url, ADA);
      await baton.baton.handoff.acceptLead(first.body.leadId as string, { user: "slack:UADA" });
      const second = await postSigned(url, { ...ADA, externalId: "99999", campaign: "Pricing page" });
      expect(second.body.status).toBe("created");
      const linked = await db.prisma.lead.findUniqueOrThrow({ where: { id: second.body.leadId as string } });
      expect(linked).toMatchObject({ duplicateOfId: first.body.leadId, status: "new" });
      expect(await db.prisma.offer.count()).toBe(1);
      const notice = await db.prisma.outboxMessage.findFirstOrThrow({
        where: { idempotencyKey: `lead:${linked.id}:linked` },
      });
      expect(notice.conversation).toBe("slack:UADA");
      expect(JSON.stringify(notice.payload)).toContain("your open lead, converted again via “Pricing page”");
    });

    it("re-routes a wrong-territory rejection to the next matching team, with a new card", async () => {
      const { url, db } = await start();
      const { body } = await postSigned(url, ADA);
      const leadId = body.leadId as string;
      const result = await baton.baton.handoff.rejectLead(
        leadId,
        { user: "slack:UADA" },
        { reason: "wrong_territory" },
      );
      expect(result).toMatchObject({ outcome: "rejected", reroutedToTeam: "Inside Sales" });
      expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({
        status: "offered",
        teamId: "inside",
      });
      const offers = await db.prisma.offer.findMany({ where: { leadId }, orderBy: { createdAt: "asc" } });
      expect(offers.map((offer) => [offer.teamId, offer.status])).toEqual([
        ["emea", "rejected"],
        ["inside", "pending"],
      ]);
      const decisions = await db.prisma.routingDecision.findMany({ where: { leadId }, orderBy: { attempt: "asc" } });
      expect(decisions.map((decision) => [decision.teamId, decision.attempt])).toEqual([
        ["emea", 1],
        ["inside", 2],
      ]);
      await baton.baton.outbox.drain();
      const printed = baton.consoleOutput.join("");
      expect(printed).toContain("📣 console:inside");
      expect(printed).toContain("Lead rejected: Wrong territory");
      expect(printed).toContain("Re-routed to Inside Sales.");
    });

    it("maps HubSpot, Salesforce and Marketo shapes, and checks HubSpot's own signature", async () => {
      const { url, db } = await start({ INTAKE_SIGNING_SECRET: INTAKE_SECRET, HUBSPOT_CLIENT_SECRET: "hs-secret" });
      const hubspot = { id: "501", properties: { email: "grace@navy.example", firstname: "Grace", country: "US" } };
      expect((await postSigned(url, hubspot, { path: "/webhooks/mql/hubspot" })).status).toBe(202);
      const salesforce = { Id: "00Q1", Email: "alan@bletchley.example", Company: "GC&CS", NumberOfEmployees: 300 };
      expect((await postSigned(url, salesforce, { path: "/webhooks/mql/salesforce" })).status).toBe(202);
      const marketo = { id: 77, email: "kath@nasa.example", firstName: "Katherine" };
      expect((await postSigned(url, marketo, { path: "/webhooks/mql/marketo" })).status).toBe(202);
      const missingEmail = await postSigned(url, { Id: "00Q2" }, { path: "/webhooks/mql/salesforce" });
      expect(missingEmail.body.details).toEqual({ email: "is required" });

      const leads = await db.prisma.lead.findMany({ orderBy: { receivedAt: "asc" } });
      expect(leads.map((lead) => [lead.source, lead.externalId, lead.email])).toEqual([
        ["hubspot", "501", "grace@navy.example"],
        ["salesforce", "00Q1", "alan@bletchley.example"],
        ["marketo", "77", "kath@nasa.example"],
      ]);

      // HubSpot signs with its own scheme; a request carrying it is checked against the client secret.
      const body = JSON.stringify({ id: "502", properties: { email: "mary@example.org" } });
      const timestamp = String(Date.now());
      const uri = `${url}/webhooks/mql/hubspot`;
      const send = (signature: string) =>
        fetch(uri, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-hubspot-signature-v3": signature,
            "x-hubspot-request-timestamp": timestamp,
          },
          body,
        });
      expect((await send("bm9wZQ==")).status).toBe(401);
      expect((await send(signHubspotV3("hs-secret", "POST", uri, body, timestamp))).status).toBe(202);
      // Behind a TLS-terminating proxy Baton sees http://, but HubSpot signed the https:// address it called.
      const viaProxy = JSON.stringify({ id: "503", properties: { email: "joan@example.org" } });
      const httpsUri = `${url.replace("http://", "https://")}/webhooks/mql/hubspot`;
      const proxied = await fetch(uri, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hubspot-signature-v3": signHubspotV3("hs-secret", "POST", httpsUri, viaProxy, timestamp),
          "x-hubspot-request-timestamp": timestamp,
        },
        body: viaProxy,
      });
      expect(proxied.status).toBe(202);
      // HubSpot's signature stands in for Baton's on HubSpot's own endpoint only.
      const generic = JSON.stringify({ source: "hubspot", externalId: "504", email: "x@example.org" });
      const elsewhere = await fetch(`${url}/webhooks/mql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hubspot-signature-v3": signHubspotV3("hs-secret", "POST", `${url}/webhooks/mql`, generic, timestamp),
          "x-hubspot-request-timestamp": timestamp,
        },
        body: generic,
      });
      expect(elsewhere.status).toBe(401);
      expect(await db.prisma.lead.count()).toBe(5);
    });

    it("accepts unsigned requests from this machine only in local mode without a secret", async () => {
      const { url, db } = await start({});
      const response = await fetch(`${url}/webhooks/mql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(ADA),
      });
      expect(response.status).toBe(202);
      expect(await db.prisma.lead.count()).toBe(1);
      // Forwarded by a proxy on this machine from elsewhere: not local.
      const forwarded = await fetch(`${url}/webhooks/mql`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.5" },
        body: JSON.stringify({ ...ADA, externalId: "forwarded" }),
      });
      expect(forwarded.status).toBe(401);
      expect(await db.prisma.lead.count()).toBe(1);
    });

    it("offers a person's new MQL when their only earlier lead is unrouted history from a CSV backfill", async () => {
      const { url, db } = await start();
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "baton-intake-")), "history.csv");
      fs.writeFileSync(
        file,
        "source,externalId,email,createdAt\nsalesforce,00Q9,ada@example.com,2025-01-10T09:00:00Z\n",
      );
      expect(await importLeadsFromCsv({ prisma: db.prisma, config, file })).toMatchObject({ stored: 1 });

      const created = await postSigned(url, ADA);
      expect(created.body.status).toBe("created");
      const lead = await db.prisma.lead.findUniqueOrThrow({ where: { id: created.body.leadId as string } });
      expect(lead).toMatchObject({ status: "offered", teamId: "emea", duplicateOfId: null });
      expect(await db.prisma.outboxMessage.findFirstOrThrow()).toMatchObject({
        idempotencyKey: expect.stringMatching(/^offer:.*:post$/),
        conversation: "console:emea",
      });
    });
  });
}

describe.skipIf(!ENGINES.includes("postgres"))("POST /webhooks/mql with the database down [postgres]", () => {
  it("answers 503, and the sender's retry is stored once the database is back", async () => {
    const baton = await startTestBaton({
      engine: "postgres",
      env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET },
      batonConfig: config,
    });
    try {
      const name = new URL((baton.db.migrationTarget as { databaseUrl: string }).databaseUrl).pathname.slice(1);
      await withPostgresAdmin(async (admin) => {
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
      });
      const down = await postSigned(baton.url, ADA);
      expect(down.status).toBe(503);
      expect((await fetch(`${baton.url}/readyz`)).status).toBe(503);
      await withPostgresAdmin((admin) => admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
      const retried = await postSigned(baton.url, ADA);
      expect(retried.body.status).toBe("created");
      expect(await baton.db.prisma.lead.count()).toBe(1);
    } finally {
      await baton.stop();
    }
  });
});
