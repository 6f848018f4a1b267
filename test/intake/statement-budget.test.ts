/**
 * Statement budgets: how many SQL statements (transaction control included) one MQL and one CRM event cost. Each
 * statement is a round trip to PostgreSQL, so this count bounds intake latency and throughput; a change that
 * makes the count grow past the budget fails here, with the statements listed.
 */
import { expect, it } from "vitest";
import { receiveCrmEvent } from "../../src/intake/receive-crm-event.ts";
import { receiveMql } from "../../src/intake/receive-mql.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { BUDGET_CONFIG, BUDGET_NOW, budgetMql, listed } from "../support/budget-fixtures.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { recordStatements } from "../support/statement-log.ts";

const BUDGET = {
  /**
   * A new MQL, routed and offered: one read (what is stored for its key and email, and the routing state), and one
   * statement writing the lead, its routing decision, offer, accept clock, audit and card (no transaction).
   */
  newMql: 2,
  /** The same MQL again: answered from the first read. */
  duplicateMql: 1,
  /** A new MQL of a person whose lead is open: linked, and the owner told, in one statement after the first read. */
  linkedMql: 2,
  /**
   * A CRM event moving an accepted lead on. It stops the first-touch clock: the clock is read so that the domain's
   * rule judges met or breached against its due time (a late touch is a breach), then written.
   */
  crmEvent: 13,
};

describeEachDatabase("statement budget of intake", (database) => {
  it("an MQL costs at most its budget of statements: new, duplicate, linked", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    const recorder = recordStatements(db);
    try {
      await recorder.prisma.$queryRaw`SELECT 1`;

      recorder.log.clear();
      const created = await receiveMql(recorder.prisma, budgetMql("1"));
      expect(created).toMatchObject({ status: "created", offeredTo: "EMEA Sales" });
      const newMql = [...recorder.log.statements];
      expect(newMql.length, listed(newMql)).toBeLessThanOrEqual(BUDGET.newMql);

      recorder.log.clear();
      expect(await receiveMql(recorder.prisma, budgetMql("1"))).toEqual({
        leadId: created.leadId,
        status: "duplicate",
      });
      const duplicate = [...recorder.log.statements];
      expect(duplicate.length, listed(duplicate)).toBeLessThanOrEqual(BUDGET.duplicateMql);

      recorder.log.clear();
      const linked = await receiveMql(recorder.prisma, budgetMql("2", "lead-1@analytical.example"));
      expect(linked).toMatchObject({ status: "created", linkedTo: created.leadId });
      const linkedMql = [...recorder.log.statements];
      expect(linkedMql.length, listed(linkedMql)).toBeLessThanOrEqual(BUDGET.linkedMql);
    } finally {
      await recorder.close();
    }
  });

  it("a CRM event costs at most its budget of statements", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    const { leadId } = await receiveMql(db.prisma, budgetMql("1"));
    await db.prisma.lead.update({ where: { id: leadId }, data: { status: "accepted", ownerRepId: "ada" } });
    const recorder = recordStatements(db);
    try {
      await recorder.prisma.$queryRaw`SELECT 1`;
      recorder.log.clear();
      const event = { source: "salesforce", externalId: "evt-1", type: "sql" as const, lead: { id: leadId } };
      expect(await receiveCrmEvent(recorder.prisma, event, BUDGET_NOW)).toEqual({ status: "applied", leadId });
      const statements = [...recorder.log.statements];
      expect(statements.length, listed(statements)).toBeLessThanOrEqual(BUDGET.crmEvent);
    } finally {
      await recorder.close();
    }
  });
});
