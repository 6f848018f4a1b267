import { expect, it } from "vitest";
import { renderLeadCard } from "../../src/domain/lead-card.ts";
import { leadCardView, loadLeadForCard } from "../../src/handoff/lead-card-view.ts";
import { receiveMql } from "../../src/intake/receive-mql.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { BUDGET_CONFIG, budgetMql } from "../support/budget-fixtures.ts";
import { describeEachDatabase } from "../support/databases.ts";

describeEachDatabase("offering a new lead", (database) => {
  it("posts the card rendered from the rows just written, the same card as one read back from the database", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    const { leadId } = await receiveMql(db.prisma, budgetMql("1"));
    const queued = await db.prisma.outboxMessage.findFirstOrThrow({ where: { leadId, kind: "post" } });
    const readBack = await loadLeadForCard(db.prisma, leadId);
    expect(readBack).not.toBeNull();
    const expected = renderLeadCard(leadCardView(readBack as NonNullable<typeof readBack>));
    expect((queued.payload as { message: unknown }).message).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.text).toContain("EMEA Sales");
  });
});
