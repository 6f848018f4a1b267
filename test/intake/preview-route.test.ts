/**
 * The route preview reads what an arriving MQL reads: it routes as the intake would, and says when the intake would
 * answer a duplicate or link the MQL to the person's open lead instead of offering it, storing nothing.
 */
import { expect, it } from "vitest";
import { previewRoute } from "../../src/intake/preview-route.ts";
import { receiveMql } from "../../src/intake/receive-mql.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { BUDGET_CONFIG, BUDGET_NOW, budgetMql } from "../support/budget-fixtures.ts";
import { describeEachDatabase } from "../support/databases.ts";

describeEachDatabase("route preview", (database) => {
  it("routes as the intake would, with a note for a duplicate and for a person's open lead", async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, BUDGET_CONFIG);
    const fresh = budgetMql("p-1");
    expect(await previewRoute(prisma, BUDGET_CONFIG, fresh.rawPayload, BUDGET_NOW)).toEqual({
      ruleId: "emea-all",
      team: { id: "emea", name: "EMEA Sales" },
      rep: { id: "ada", name: "Ada Lovelace" },
      reason: expect.any(String),
      notes: [],
    });
    expect(await prisma.lead.count()).toBe(0);

    const { leadId } = await receiveMql(prisma, fresh);
    const again = await previewRoute(prisma, BUDGET_CONFIG, fresh.rawPayload, BUDGET_NOW);
    expect(again.notes).toEqual(["hubspot/p-1 was already received: sending it again is a duplicate."]);
    // Ada was offered the first: round-robin would suggest Charles now.
    expect(again.rep).toEqual({ id: "charles", name: "Charles Babbage" });

    const samePerson = budgetMql("p-2", fresh.mql.email);
    expect((await previewRoute(prisma, BUDGET_CONFIG, samePerson.rawPayload, BUDGET_NOW)).notes).toEqual([
      `${fresh.mql.email} has an open lead (${leadId}): a new MQL is linked to it, not offered again.`,
    ]);
    expect(await prisma.lead.count()).toBe(1);
  });
});
