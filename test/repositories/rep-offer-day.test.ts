/**
 * `RepOfferDay`, the per-rep, per-day offer counts round-robin reads, kept by triggers on Offer: always equal to
 * counting the offers, whoever writes them (intake, a test, a deleted lead's cascade), and what the routing state
 * reports as a rep's recent offers.
 */
import { expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { loadRoutingState } from "../../src/intake/offer-lead.ts";
import { receiveMql } from "../../src/intake/receive-mql.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { BUDGET_CONFIG, BUDGET_NOW, budgetMql } from "../support/budget-fixtures.ts";
import { describeEachDatabase } from "../support/databases.ts";

const DAY_MS = 24 * 3600_000;

/** The counts as the table holds them (zero rows left by removals dropped) and as counting the offers gives them. */
async function countsBothWays(db: Database) {
  const kept = await db.prisma.$queryRaw<{ repId: string; day: string; offers: number }[]>`
    SELECT "repId", day::text, offers FROM "RepOfferDay" WHERE offers <> 0 ORDER BY 1, 2`;
  const counted = await db.prisma.$queryRaw<{ repId: string; day: string; offers: number }[]>`
    SELECT "candidateRepId" AS "repId", (("createdAt" AT TIME ZONE 'UTC')::date)::text AS day, count(*)::int AS offers
    FROM "Offer" WHERE "candidateRepId" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`;
  return { kept, counted };
}

/** An offer written directly (as a re-route or a test would), on a lead of its own. */
async function offerTo(db: Database, repId: string, createdAt: Date) {
  const externalId = `direct-${createdAt.getTime()}-${repId}`;
  const { id: leadId } = await db.prisma.lead.create({
    data: { source: "test", externalId, email: `${externalId}@analytical.example`, rawPayload: {} },
  });
  return db.prisma.offer.create({
    data: { leadId, teamId: "emea", candidateRepId: repId, conversation: "slack:CEMEA", createdAt },
  });
}

describeEachDatabase("offers per rep and day", (database) => {
  it("equal counting the offers after inserts, moves and deletes", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    for (const id of ["1", "2", "3"]) await receiveMql(db.prisma, budgetMql(id));
    const moved = await offerTo(db, "ada", new Date(BUDGET_NOW.getTime() - 3 * DAY_MS));
    let both = await countsBothWays(db);
    expect(both.kept).toEqual(both.counted);
    expect(both.kept.reduce((sum, row) => sum + row.offers, 0)).toBe(4);

    await db.prisma.offer.update({ where: { id: moved.id }, data: { candidateRepId: "charles" } });
    await db.prisma.offer.update({ where: { id: moved.id }, data: { createdAt: BUDGET_NOW } });
    both = await countsBothWays(db);
    expect(both.kept).toEqual(both.counted);

    // A lead deleted (data retention, a person forgotten) takes its offers with it.
    await db.prisma.lead.delete({ where: { id: moved.leadId } });
    both = await countsBothWays(db);
    expect(both.kept).toEqual(both.counted);
    expect(both.kept.reduce((sum, row) => sum + row.offers, 0)).toBe(3);
  });

  it("give the routing state each rep's offers of today and the seven days before", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    await offerTo(db, "ada", new Date(BUDGET_NOW.getTime() - 7 * DAY_MS));
    await offerTo(db, "ada", new Date(BUDGET_NOW.getTime() - 2 * DAY_MS));
    await offerTo(db, "ada", new Date(BUDGET_NOW.getTime() - 8 * DAY_MS));
    await offerTo(db, "charles", new Date(BUDGET_NOW.getTime() - 30 * DAY_MS));
    const state = await loadRoutingState(db.prisma, BUDGET_NOW);
    const reps = state.states.flatMap((team) => team.reps);
    expect(Object.fromEntries(reps.map((rep) => [rep.id, rep.recentOffers]))).toEqual({ ada: 2, charles: 0 });
  });
});
