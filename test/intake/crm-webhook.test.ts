import { afterEach, describe, expect, it } from "vitest";
import { ENGINES } from "../support/databases.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";
import { ADA, INTAKE_SECRET, postSigned, prepareTestDatabases } from "./intake-support.ts";

prepareTestDatabases(ENGINES);

for (const engine of ENGINES) {
  describe(`POST /webhooks/crm [${engine}]`, () => {
    let baton: TestBaton;
    afterEach(async () => {
      await baton?.stop();
    });

    const event = (overrides: Record<string, unknown>) => ({
      source: "salesforce",
      lead: { email: "ada@example.com" },
      occurredAt: "2026-11-24T16:00:00Z",
      ...overrides,
    });

    it("walks an accepted lead through the funnel, once per event, and refuses what its state forbids", async () => {
      baton = await startTestBaton({ engine, env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET } });
      const { url, db } = baton;
      const created = await postSigned(url, ADA);
      const leadId = created.body.leadId as string;

      const early = await postSigned(url, event({ externalId: "e0", type: "sql" }), { path: "/webhooks/crm" });
      expect(early).toEqual({
        status: 409,
        body: { error: "conflict", message: "sql is not possible: nobody has accepted the lead yet" },
      });

      const accepted = await baton.baton.handoff.acceptLead(leadId, { user: "console:ada" });
      expect(accepted.outcome).toBe("accepted");

      const send = (body: unknown) => postSigned(url, body, { path: "/webhooks/crm" });
      expect(await send(event({ externalId: "e1", type: "first_touch" }))).toEqual({
        status: 202,
        body: { status: "applied", leadId },
      });
      expect((await send(event({ externalId: "e1", type: "first_touch" }))).body.status).toBe("duplicate");
      expect((await send(event({ externalId: "e2", type: "sql", lead: { id: leadId } }))).status).toBe(202);
      const opportunity = event({ externalId: "e3", type: "opportunity", amount: 24000, currency: "eur" });
      expect((await send({ ...opportunity, lead: { source: "hubspot", externalId: "12345" } })).status).toBe(202);
      expect((await send(event({ externalId: "e4", type: "won", amount: 26000 }))).status).toBe(202);

      const lead = await db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
      expect(lead).toMatchObject({ status: "won", closedAt: new Date("2026-11-24T16:00:00Z") });
      expect(lead.sqlAt).not.toBeNull();
      const deals = await db.prisma.deal.findMany({ where: { leadId } });
      expect(deals.map((deal) => [deal.outcome, deal.amount.toString(), deal.currency, deal.ownerRepId])).toEqual([
        ["won", "26000", "EUR", "ada"],
      ]);
      expect(await db.prisma.funnelEvent.count({ where: { leadId } })).toBe(4);
      // 16:00 UTC on a Tuesday is after the 4 business hours the first touch had.
      expect((await db.prisma.slaClock.findFirstOrThrow({ where: { leadId, kind: "first_touch" } })).status).toMatch(
        /met|breached/,
      );

      const lostAfterWon = await send(event({ externalId: "e5", type: "lost" }));
      expect(lostAfterWon.status).toBe(409);
      expect(lostAfterWon.body.message).toBe("lost is not possible: the lead is already won");
      expect((await send(event({ externalId: "e6", type: "renewed", amount: 30000 }))).status).toBe(202);
    });

    it("answers 400 naming the fields, 404 for an unknown lead, 401 unsigned", async () => {
      baton = await startTestBaton({ engine, env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET } });
      const invalid = await postSigned(
        baton.url,
        { source: "salesforce", type: "won", lead: {} },
        { path: "/webhooks/crm" },
      );
      expect(invalid.status).toBe(400);
      expect(invalid.body.details).toEqual({
        externalId: "is required",
        lead: "must name the lead by id, by email, or by source + externalId",
      });
      const unknown = await postSigned(
        baton.url,
        { source: "salesforce", externalId: "x", type: "sql", lead: { email: "nobody@example.com" } },
        { path: "/webhooks/crm" },
      );
      expect(unknown.status).toBe(404);
      const unsigned = await postSigned(baton.url, {}, { path: "/webhooks/crm", signature: "v1=00" });
      expect(unsigned.status).toBe(401);
    });
  });
}
