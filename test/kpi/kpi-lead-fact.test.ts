/**
 * The KPI facts table is kept equal to its definition (the view "KpiLeadFactSource") by the database itself, in
 * the same transaction as every write, whoever writes: the hand-computed KPI seed (written straight through
 * Prisma, no Baton code), then re-routes, late clocks, a deleted lead and a rolled-back transaction.
 */
import { expect, it } from "vitest";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { seedKpiFunnel } from "./kpi-seed.ts";

const config = loadBatonConfig(EXAMPLE_CONFIG_PATH);

const COLUMNS = `"leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign, channel, accepted,
  rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons", "acceptSla", "firstTouchSla"`;

/** Rows in one and not the other, both ways: empty when the table is exactly its definition. */
async function drift(prisma: PrismaClient) {
  const [row] = await prisma.$queryRawUnsafe<{ missing: number; stale: number; facts: number }[]>(`
    SELECT
      (SELECT count(*)::int FROM (SELECT ${COLUMNS} FROM "KpiLeadFactSource" EXCEPT ALL SELECT ${COLUMNS} FROM "KpiLeadFact") m) AS missing,
      (SELECT count(*)::int FROM (SELECT ${COLUMNS} FROM "KpiLeadFact" EXCEPT ALL SELECT ${COLUMNS} FROM "KpiLeadFactSource") s) AS stale,
      (SELECT count(*)::int FROM "KpiLeadFact") AS facts`);
  return row;
}

describeEachDatabase("KPI lead facts", (database) => {
  it("follow every write to leads, offers and clocks, in the writer's transaction", async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, config);
    const ids = await seedKpiFunnel(prisma);
    const leads = await prisma.lead.count();
    expect(leads).toBeGreaterThan(5);
    expect(await drift(prisma)).toEqual({ missing: 0, stale: 0, facts: leads });

    const first = Object.values(ids)[0];
    // One no repeat MQL points at, so that it can be deleted.
    const { id: second } = await prisma.lead.findFirstOrThrow({
      where: { id: { not: first }, duplicates: { none: {} } },
      orderBy: { receivedAt: "asc" },
    });
    // A lead's offer rejected, its clock breached, its owner and campaign changed, each in its own statement.
    const offer = await prisma.offer.findFirstOrThrow({ where: { leadId: first } });
    await prisma.offer.update({
      where: { id: offer.id },
      data: { status: "rejected", rejectReason: "not_a_fit", decidedAt: new Date() },
    });
    await prisma.slaClock.updateMany({ where: { leadId: first }, data: { status: "breached" } });
    await prisma.lead.update({ where: { id: first }, data: { campaign: "moved", status: "sql", sqlAt: new Date() } });
    expect(await drift(prisma)).toMatchObject({ missing: 0, stale: 0 });
    expect(await prisma.kpiLeadFact.findUniqueOrThrow({ where: { leadId: first } })).toMatchObject({
      campaign: "moved",
      reachedSql: true,
    });

    // A transaction that fails leaves the facts as they were.
    const before = await prisma.kpiLeadFact.findUniqueOrThrow({ where: { leadId: second } });
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.lead.update({ where: { id: second }, data: { status: "won" } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await prisma.kpiLeadFact.findUniqueOrThrow({ where: { leadId: second } })).toEqual(before);

    // A deleted lead takes its facts with it (its offers and clocks go by cascade, their triggers find no lead).
    await prisma.lead.delete({ where: { id: second } });
    expect(await prisma.kpiLeadFact.findUnique({ where: { leadId: second } })).toBeNull();
    expect(await drift(prisma)).toEqual({ missing: 0, stale: 0, facts: leads - 1 });
  });
});
