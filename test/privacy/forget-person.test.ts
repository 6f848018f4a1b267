/**
 * `forget`: after it, no table holds the person's email (nor their name on the lead), the cards posted about them
 * show the anonymised lead, no log line ever carried the address, and every count KPIs need is unchanged.
 */
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { forgetPerson } from "../../src/privacy/forget-person.ts";
import { postSigned } from "../intake/intake-support.ts";
import { type FakeSlack, INTAKE_SIGNING_SECRET, startSlackTestBaton, USERS } from "../slack/slack-test-kit.ts";
import type { TestBaton } from "../support/start-baton.ts";

const EMAIL = "ada.byron@analytical.example";
const PERSON = {
  source: "hubspot",
  email: "Ada.Byron@Analytical.example",
  firstName: "Augusta",
  lastName: "Byron-King",
  phone: "+44 20 7946 0999",
  company: "Analytical Engines",
  region: "EMEA",
  notes: `Call Augusta Byron-King at ${EMAIL}`,
};

/** Every row of every table as text, lower-cased, for "is it anywhere?" checks. */
async function everyRow(t: TestBaton): Promise<string[]> {
  const tables = await t.db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const rows: string[] = [];
  for (const { name } of tables) {
    const found = await t.db.prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "${name}" t`,
    );
    rows.push(...found.map(({ row }) => `${name}: ${row.toLowerCase()}`));
  }
  return rows;
}

async function kpiCounts(t: TestBaton) {
  const prisma = t.db.prisma;
  return {
    leadsByStatus: await prisma.lead.groupBy({ by: ["status"], _count: { _all: true }, orderBy: { status: "asc" } }),
    offersByStatus: await prisma.offer.groupBy({ by: ["status"], _count: { _all: true }, orderBy: { status: "asc" } }),
    rejectReasons: await prisma.offer.groupBy({
      by: ["rejectReason"],
      _count: { _all: true },
      orderBy: { rejectReason: "asc" },
    }),
    funnelEvents: await prisma.funnelEvent.count(),
    deals: await prisma.deal.count(),
    clocks: await prisma.slaClock.groupBy({
      by: ["kind", "status"],
      _count: { _all: true },
      orderBy: [{ kind: "asc" }, { status: "asc" }],
    }),
    campaigns: await prisma.lead.groupBy({
      by: ["source", "region"],
      _count: { _all: true },
      orderBy: { source: "asc" },
    }),
  };
}

describe("forget a person", () => {
  let t: TestBaton;
  let slack: FakeSlack;
  let stop: () => Promise<void>;
  const logs: string[] = [];

  beforeEach(async () => {
    logs.length = 0;
    const logger = createLogger(
      "debug",
      new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    );
    ({ t, slack, stop } = await startSlackTestBaton({ logger }));
  });

  afterEach(() => stop());

  it("leaves no trace of the email in any table, log line or posted card, and keeps the KPI counts", async () => {
    const send = (body: unknown, path?: string) => postSigned(t.url, body, { secret: INTAKE_SIGNING_SECRET, path });
    const first = await send({ ...PERSON, externalId: "p-1" });
    expect(first.status).toBe(202);
    await t.baton.outbox.drain();
    const leadId = first.body.leadId as string;
    expect((await t.baton.handoff.acceptLead(leadId, { user: `slack:${USERS.ada}` })).outcome).toBe("accepted");
    // A second MQL of the same person while the lead is open: the owner is told by DM.
    expect((await send({ ...PERSON, externalId: "p-2" })).status).toBe(202);
    expect(
      (
        await send(
          { source: "salesforce", externalId: "e-1", type: "sql", lead: { email: EMAIL }, reason: `met ${EMAIL}` },
          "/webhooks/crm",
        )
      ).status,
    ).toBe(202);
    // Someone else, who must stay as they are.
    expect(
      (await send({ source: "hubspot", externalId: "other", email: "grace@navy.example", region: "EMEA" })).status,
    ).toBe(202);
    await t.baton.outbox.drain();
    expect((await everyRow(t)).some((row) => row.includes(EMAIL))).toBe(true);
    const before = await kpiCounts(t);
    const cardUpdatesBefore = slack.callsTo("chat.update").length;

    const result = await forgetPerson({ prisma: t.db.prisma }, ` ${EMAIL.toUpperCase()} `);
    expect(result.leads).toBe(2);
    await t.baton.outbox.drain();

    const traces = (await everyRow(t)).filter(
      (row) => row.includes(EMAIL) || row.includes("byron-king") || row.includes("7946 0999"),
    );
    expect(traces).toEqual([]);
    expect(await kpiCounts(t)).toEqual(before);
    expect(await t.db.prisma.lead.count({ where: { email: "grace@navy.example" } })).toBe(1);

    const updates = slack.callsTo("chat.update").slice(cardUpdatesBefore);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    for (const update of updates) {
      const sent = JSON.stringify(update.args).toLowerCase();
      expect(sent).not.toContain(EMAIL);
      expect(sent).not.toContain("byron");
    }
    expect(logs.join("").toLowerCase()).not.toContain(EMAIL);
  });

  it("says so when Baton holds nothing for the address", async () => {
    expect(await forgetPerson({ prisma: t.db.prisma }, "nobody@example.com")).toEqual({ leads: 0, messagesUpdated: 0 });
  });
});
