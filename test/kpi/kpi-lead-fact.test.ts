/**
 * The KPI facts tables are kept equal to their definitions (the views "Kpi…FactSource") by the database itself, in
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

/** Each facts table, its defining view and its columns. */
const TABLES = [
  {
    table: "KpiLeadFact",
    columns: `"leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign, channel, accepted,
      rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons", "acceptSla",
      "firstTouchSla"`,
  },
  {
    table: "KpiDealFact",
    columns: `"dealId", "leadId", amount, "openedAt", "closedAt", "teamId", "ownerRepId", source, campaign`,
  },
  {
    table: "KpiClosingFact",
    columns: `"eventId", "leadId", type, "occurredAt", amount, "teamId", "ownerRepId", source, campaign, attributed`,
  },
];

/** Per table, rows in one and not the other, both ways: all zero when every table is exactly its definition. */
async function drift(prisma: PrismaClient) {
  const counts: Record<string, number> = {};
  for (const { table, columns } of TABLES) {
    const [row] = await prisma.$queryRawUnsafe<{ missing: number; stale: number }[]>(`
      SELECT
        (SELECT count(*)::int FROM (SELECT ${columns} FROM "${table}Source" EXCEPT ALL SELECT ${columns} FROM "${table}") m) AS missing,
        (SELECT count(*)::int FROM (SELECT ${columns} FROM "${table}" EXCEPT ALL SELECT ${columns} FROM "${table}Source") s) AS stale`);
    counts[`${table} missing`] = row.missing;
    counts[`${table} stale`] = row.stale;
  }
  return counts;
}

const NO_DRIFT = Object.fromEntries(
  TABLES.flatMap(({ table }) => [
    [`${table} missing`, 0],
    [`${table} stale`, 0],
  ]),
);

describeEachDatabase("KPI lead facts", (database) => {
  it("follow every write to leads, offers and clocks, in the writer's transaction", async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, config);
    const ids = await seedKpiFunnel(prisma);
    const leads = await prisma.lead.count();
    expect(leads).toBeGreaterThan(5);
    expect(await drift(prisma)).toEqual(NO_DRIFT);
    expect(await prisma.kpiLeadFact.count()).toBe(leads);
    expect(await prisma.kpiDealFact.count()).toBe(await prisma.deal.count());
    expect(await prisma.kpiDealFact.count()).toBeGreaterThan(0);
    expect(await prisma.kpiClosingFact.count()).toBeGreaterThan(0);

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
    // A deal opened and won, then its lead handed to another rep: the deal's and the event's facts follow the lead.
    await prisma.deal.create({
      data: { leadId: first, amount: 1200, openedAt: new Date(), outcome: "won", closedAt: new Date() },
    });
    await prisma.funnelEvent.create({
      data: {
        leadId: first,
        type: "won",
        source: "test",
        externalId: "fact-won",
        amount: 1200,
        occurredAt: new Date(),
      },
    });
    await prisma.lead.update({ where: { id: first }, data: { ownerRepId: "grace", channel: null } });
    expect(await drift(prisma)).toEqual(NO_DRIFT);
    expect(await prisma.kpiClosingFact.findFirstOrThrow({ where: { leadId: first, type: "won" } })).toMatchObject({
      ownerRepId: "grace",
      campaign: "moved",
    });
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
    expect(await drift(prisma)).toEqual(NO_DRIFT);
    expect(await prisma.kpiLeadFact.count()).toBe(leads - 1);

    // A lead written in one transaction with its offer, clock, deal and closing event (its facts are refreshed
    // once at the commit; the deal's and event's by their own triggers), then two leads' rows interleaved.
    const [newLead, other] = await prisma.$transaction(async (tx) => {
      const lead = await tx.lead.create({
        data: { source: "test", externalId: "one-tx", email: "one@tx.example", rawPayload: {}, teamId: "emea-sales" },
      });
      const otherLead = await tx.lead.create({
        data: { source: "test", externalId: "one-tx-2", email: "two@tx.example", rawPayload: {}, campaign: "c2" },
      });
      await tx.offer.create({ data: { leadId: lead.id, teamId: "emea-sales", conversation: "slack:C1" } });
      await tx.offer.create({ data: { leadId: otherLead.id, teamId: "emea-sales", conversation: "slack:C1" } });
      await tx.lead.update({ where: { id: lead.id }, data: { status: "won", campaign: "one-tx" } });
      await tx.deal.create({ data: { leadId: lead.id, amount: 1200, outcome: "won", closedAt: new Date() } });
      await tx.funnelEvent.create({
        data: { leadId: lead.id, type: "won", source: "test", externalId: "one-tx-won", occurredAt: new Date() },
      });
      await tx.slaClock.create({
        data: { leadId: otherLead.id, kind: "accept", policy: "standard", startedAt: new Date(), dueAt: new Date() },
      });
      return [lead.id, otherLead.id];
    });
    expect(await drift(prisma)).toEqual(NO_DRIFT);
    expect(await prisma.kpiDealFact.findFirstOrThrow({ where: { leadId: newLead } })).toMatchObject({
      campaign: "one-tx",
    });
    expect(await prisma.kpiLeadFact.findUniqueOrThrow({ where: { leadId: other } })).toMatchObject({ campaign: "c2" });
  });
});
