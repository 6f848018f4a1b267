/**
 * The funnel summary the loader computes in SQL is the domain's `summariseFunnel` of the same leads, number for
 * number (counts, samples, medians, rank sums, tie terms: exactly, not approximately), for the joint agenda and a
 * team's; and the leads it names for a finding are `findingLeadIds`' — over generated funnels with ties, missing
 * and out-of-order dates, dates on the windows' bounds, rejected, lost and recycled leads, repeat MQLs, and regions
 * blank, padded or absent.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { funnelLeadsSql } from "../../src/agenda/funnel-passages-sql.ts";
import { loadFindingLeadIds } from "../../src/agenda/load-finding-lead-ids.ts";
import { loadFunnelSummary } from "../../src/agenda/load-funnel-summary.ts";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import {
  FUNNEL_STAGES,
  findingLeadIds,
  findStageSlowdowns,
  summariseFunnel,
} from "../../src/domain/agenda/funnel-stages.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { BASELINE, type FunnelLeadRow, funnelLeadRows, funnelLeadsOf, REVIEWED } from "../support/funnel-leads.ts";

async function storeLeads(prisma: PrismaClient, rows: FunnelLeadRow[]) {
  await prisma.lead.deleteMany();
  const original = rows.find((row) => !row.duplicate);
  await prisma.lead.createMany({
    data: rows.map((row, index) => ({
      id: row.id,
      source: "test",
      externalId: `f-${index}`,
      email: `lead${index}@example.com`,
      rawPayload: {},
      status: row.status,
      teamId: row.teamId,
      region: row.region,
      // A repeat MQL points at a lead it repeats (any other lead of the funnel will do).
      duplicateOfId: row.duplicate ? (original?.id ?? null) : null,
      receivedAt: row.receivedAt,
      offeredAt: row.offeredAt,
      acceptedAt: row.acceptedAt,
      rejectedAt: row.rejectedAt,
      firstTouchAt: row.firstTouchAt,
      sqlAt: row.sqlAt,
      closedAt: row.closedAt,
    })),
  });
}

describeEachDatabase("the agenda's funnel summary in SQL", (database) => {
  it("is the domain's summary of the same leads, for the joint agenda and a team's, and names the same leads", async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, loadBatonConfig(EXAMPLE_CONFIG_PATH));
    let findings = 0;
    await fc.assert(
      fc.asyncProperty(funnelLeadRows({ maxLeads: 120 }), async (rows) => {
        // Repeat MQLs keep their lead: when every lead is one, none is.
        const stored = rows.some((row) => !row.duplicate) ? rows : rows.map((row) => ({ ...row, duplicate: false }));
        await storeLeads(prisma, stored);
        for (const teamId of [undefined, "emea-sales"]) {
          const leads = funnelLeadsOf(stored, teamId);
          const expected = summariseFunnel(leads, REVIEWED, BASELINE);
          const summary = await loadFunnelSummary(prisma, { teamId, reviewed: REVIEWED, baseline: BASELINE });
          expect(summary).toEqual(expected);
          findings += findStageSlowdowns(summary).length;

          // Every finding the summary could make, not only the significant ones.
          const possible = expected.stages.flatMap(({ stage, segment }) =>
            (["conversion", "speed"] as const).map((metric) => ({ stage, segment, metric })),
          );
          const named = await loadFindingLeadIds(prisma, { teamId, reviewed: REVIEWED }, possible);
          expect(named).toEqual(findingLeadIds(leads, REVIEWED, possible));
        }
      }),
      { numRuns: 30 },
    );
    expect(findings).toBeGreaterThan(0);
  });

  it("reads the weeks' leads through the index on their latest step (the expression matches the index's)", async () => {
    const { prisma } = await database();
    // An empty table is cheaper to scan than to look up: forbid the scan, to see whether the index can serve.
    const plan = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>`
        EXPLAIN ${funnelLeadsSql({ teamId: undefined, since: BASELINE.start })}`;
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("Lead_funnel_latest_step_idx");
  });

  it("summarises a funnel without leads, and one whose leads all moved before the weeks looked at", async () => {
    const { prisma } = await database();
    const empty = summariseFunnel([], REVIEWED, BASELINE);
    expect(await loadFunnelSummary(prisma, { teamId: undefined, reviewed: REVIEWED, baseline: BASELINE })).toEqual(
      empty,
    );
    const before = new Date(BASELINE.start.getTime() - 1);
    await storeLeads(prisma, [
      {
        id: "0190a000-0000-7000-8000-000000000001",
        region: "EMEA",
        teamId: null,
        duplicate: false,
        status: "won",
        receivedAt: before,
        offeredAt: before,
        acceptedAt: before,
        rejectedAt: null,
        firstTouchAt: before,
        sqlAt: before,
        closedAt: before,
      },
    ]);
    expect(await loadFunnelSummary(prisma, { teamId: undefined, reviewed: REVIEWED, baseline: BASELINE })).toEqual(
      empty,
    );
    expect(
      await loadFindingLeadIds(prisma, { teamId: undefined, reviewed: REVIEWED }, [
        { stage: FUNNEL_STAGES[0].id, segment: null, metric: "conversion" },
      ]),
    ).toEqual({ [JSON.stringify([FUNNEL_STAGES[0].id, null, "conversion"])]: [] });
  });
});
