import { expect, it } from "vitest";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import { resolveKpiRequest } from "../../src/domain/kpi/kpi-request.ts";
import { loadKpiReport } from "../../src/kpi/load-kpi-report.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { EMPTY_KPIS, NOW, PREVIOUS_WEEK_KPIS, WEEK, WEEK_KPIS } from "./kpi-expected.ts";
import { seedKpiFunnel } from "./kpi-seed.ts";

const config = loadBatonConfig(EXAMPLE_CONFIG_PATH);

describeEachDatabase("loadKpiReport", (database) => {
  const report = async (input: Parameters<typeof resolveKpiRequest>[1]) => {
    const { prisma } = await database();
    return loadKpiReport(prisma, config, resolveKpiRequest(config, input, NOW));
  };
  const seed = async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, config);
    return seedKpiFunnel(prisma);
  };

  it("computes every KPI of the seeded week, and of the week before", async () => {
    await seed();
    const result = await report({ period: WEEK });
    expect(result.period).toEqual({ from: "2026-11-16", to: "2026-11-22", timezone: "Europe/London" });
    expect(result.team).toBeNull();
    expect(result.kpis).toEqual(WEEK_KPIS);
    expect(result.previous).toEqual(PREVIOUS_WEEK_KPIS);
  });

  it("narrows to a team, read in that team's time zone: its re-routed leads count for it", async () => {
    await seed();
    const result = await report({ period: WEEK, team: "na-sales" });
    expect(result.period).toEqual({ from: "2026-11-16", to: "2026-11-22", timezone: "America/New_York" });
    expect(result.team).toBe("na-sales");
    expect(result.kpis).toMatchObject({
      mqls: 3, // L2 L7 L8
      accepted: 2,
      rejected: 0,
      acceptanceRate: 1,
      rejectReasons: { wrong_territory: 1, duplicate: 1 },
      medianMinutesToAccept: 22.5,
      won: 0,
      lost: 1,
      winRate: 0,
      openPipeline: 8000,
      quotaAttainment: 0,
      mqlTargetAttainment: null,
      marketingSpend: null,
      costPerMql: null,
    });
  });

  it("narrows to a rep, a source and a campaign", async () => {
    await seed();
    expect((await report({ period: WEEK, rep: "ada" })).kpis).toMatchObject({
      mqls: 1, // L1: L4 was rejected, so nobody owns it
      won: 2, // L1 and L0 are Ada's
      wonRevenue: 74000,
      // Ada's own 300,000 for Q4, 7 days of 92.
      quotaAttainment: 3.2419,
    });
    expect((await report({ period: WEEK, source: "HubSpot" })).kpis.mqls).toBe(8);
    expect((await report({ period: WEEK, source: "marketo" })).kpis.mqls).toBe(0);
    expect((await report({ period: WEEK, campaign: "Q4 webinar" })).kpis).toMatchObject({
      mqls: 1,
      marketingSpend: 1200,
      costPerMql: 1200,
      won: 1,
      wonRevenue: 24000,
      quotaAttainment: null,
    });
  });

  it("answers an empty period with zeros and null rates", async () => {
    await seed();
    const result = await report({ period: "2026-01-05..2026-01-11" });
    expect(result.kpis).toEqual(EMPTY_KPIS);
    expect(result.previous).toEqual(EMPTY_KPIS);
  });
});
