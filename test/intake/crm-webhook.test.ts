import { afterEach, describe, expect, it } from "vitest";
import { ENGINES } from "../support/databases.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";
import { ADA, INTAKE_SECRET, postSigned, prepareTestDatabases } from "./intake-support.ts";

prepareTestDatabases(ENGINES);

const TUESDAY_10AM = new Date("2026-11-24T10:00:00Z");
/** Requests signed at the injected time: the signature's timestamp is checked against Baton's clock. */
const SIGNED_THEN = { timestamp: Math.floor(TUESDAY_10AM.getTime() / 1000) };

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
      // Tuesday 10:00 in London: EMEA Sales' first-touch clock (4 business hours) will be due at 14:00.
      baton = await startTestBaton({ engine, env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET }, now: () => TUESDAY_10AM });
      const { url, db } = baton;
      const created = await postSigned(url, ADA, SIGNED_THEN);
      const leadId = created.body.leadId as string;

      const early = await postSigned(url, event({ externalId: "e0", type: "sql" }), {
        ...SIGNED_THEN,
        path: "/webhooks/crm",
      });
      expect(early).toEqual({
        status: 409,
        body: { error: "conflict", message: "Can't mark the lead as SQL: nobody has accepted the lead yet." },
      });

      const accepted = await baton.baton.handoff.acceptLead(leadId, { user: "console:ada" });
      expect(accepted.outcome).toBe("accepted");

      const send = (body: unknown) => postSigned(url, body, { ...SIGNED_THEN, path: "/webhooks/crm" });
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
      // The touch came at 16:00, two hours after the 14:00 deadline.
      expect(await db.prisma.slaClock.findFirstOrThrow({ where: { leadId, kind: "first_touch" } })).toMatchObject({
        status: "breached",
        dueAt: new Date("2026-11-24T14:00:00Z"),
        breachedAt: new Date("2026-11-24T14:00:00Z"),
        stoppedAt: new Date("2026-11-24T16:00:00Z"),
        minutesLate: 120,
      });

      const lostAfterWon = await send(event({ externalId: "e5", type: "lost" }));
      expect(lostAfterWon.status).toBe(409);
      expect(lostAfterWon.body.message).toBe("Can't mark the lead lost: the lead is already won.");
      expect((await send(event({ externalId: "e6", type: "renewed", amount: 30000 }))).status).toBe(202);
    });

    it("a first touch before the deadline meets the clock; a late SQL event does not move an opportunity back", async () => {
      baton = await startTestBaton({ engine, env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET }, now: () => TUESDAY_10AM });
      const { url, db } = baton;
      const leadId = (await postSigned(url, ADA, SIGNED_THEN)).body.leadId as string;
      await baton.baton.handoff.acceptLead(leadId, { user: "console:ada" });
      const send = (body: unknown) => postSigned(url, body, { ...SIGNED_THEN, path: "/webhooks/crm" });

      expect(
        (await send(event({ externalId: "t1", type: "first_touch", occurredAt: "2026-11-24T13:59:00Z" }))).status,
      ).toBe(202);
      expect(await db.prisma.slaClock.findFirstOrThrow({ where: { leadId, kind: "first_touch" } })).toMatchObject({
        status: "met",
        metAt: new Date("2026-11-24T13:59:00Z"),
        minutesLate: 0,
      });
      expect((await send(event({ externalId: "t2", type: "opportunity", amount: 5000 }))).status).toBe(202);
      // The CRM's SQL step arrives after the opportunity: stored, and the lead stays an opportunity.
      expect(await send(event({ externalId: "t3", type: "sql" }))).toEqual({
        status: 202,
        body: { status: "applied", leadId },
      });
      expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({
        status: "opportunity",
      });
      expect(await db.prisma.funnelEvent.count({ where: { leadId, type: "sql" } })).toBe(1);
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
