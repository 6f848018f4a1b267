/**
 * Statement budget of an accept: the click a rep waits on (Slack wants an answer within 3 seconds). A change that
 * makes it cost more statements than the budget fails here, with the statements listed.
 */
import { pino } from "pino";
import { expect, it } from "vitest";
import { createHandoffService } from "../../src/handoff/handoff-service.ts";
import { receiveMql } from "../../src/intake/receive-mql.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { BUDGET_CONFIG, BUDGET_NOW, budgetMql, listed } from "../support/budget-fixtures.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { recordStatements } from "../support/statement-log.ts";

/**
 * The accept: two reads (the lead with its card and its waiting accept clock; the rep) and one statement writing
 * the claim, the lead, both clocks, the audit entry, the card update and the DM (src/repositories/accept-batch.ts).
 * It was 13 in an interactive transaction.
 */
const ACCEPT_BUDGET = 3;

describeEachDatabase("statement budget of the handoff", (database) => {
  it("an accept costs at most its budget of statements", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    const { leadId } = await receiveMql(db.prisma, budgetMql("1"));
    // The card has been posted: the accept updates it in place.
    await db.prisma.offer.updateMany({ where: { leadId }, data: { messageRef: "1700000000.000100" } });
    const recorder = recordStatements(db);
    try {
      const handoff = createHandoffService({
        prisma: recorder.prisma,
        batonConfig: () => BUDGET_CONFIG,
        logger: pino({ level: "silent" }),
        now: () => BUDGET_NOW,
      });
      await recorder.prisma.$queryRaw`SELECT 1`;
      recorder.log.clear();
      expect(await handoff.acceptLead(leadId, { user: "slack:UADA" })).toMatchObject({
        outcome: "accepted",
        ownerName: "Ada Lovelace",
      });
      const statements = [...recorder.log.statements];
      expect(statements.length, listed(statements)).toBeLessThanOrEqual(ACCEPT_BUDGET);
    } finally {
      await recorder.close();
    }
  });
});
