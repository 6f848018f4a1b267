import { describe, expect, it } from "vitest";
import {
  acceptanceRate,
  customerLifetimeValue,
  mqlTargetForPeriod,
  quotaForPeriod,
  rate,
  winRate,
} from "../../../src/domain/kpi/kpi-definitions.ts";
import { KpiInputError, resolveKpiRequest } from "../../../src/domain/kpi/kpi-request.ts";

describe("rates", () => {
  it("are null with nothing to divide by, rounded to 4 decimals otherwise", () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(1, 3)).toBe(0.3333);
    expect(acceptanceRate({ accepted: 4, rejected: 1 })).toBe(0.8);
    expect(winRate({ won: 0, lost: 0 })).toBeNull();
    expect(winRate({ won: 0, lost: 2 })).toBe(0);
  });
});

describe("customerLifetimeValue", () => {
  it("is the average contract over the churn rate, null without churn", () => {
    expect(customerLifetimeValue({ wonRevenue: 100, renewedRevenue: 100, won: 1, renewed: 1, churned: 1 })).toBe(200);
    expect(customerLifetimeValue({ wonRevenue: 100, renewedRevenue: 0, won: 1, renewed: 3, churned: 0 })).toBeNull();
    expect(customerLifetimeValue({ wonRevenue: 0, renewedRevenue: 0, won: 0, renewed: 0, churned: 2 })).toBeNull();
  });
});

describe("targets", () => {
  const quotas = [
    { rep: "ada", period: "2026-Q4", amount: 92_000 },
    { team: "na", period: "2026-Q4", amount: 920_000 },
    { team: "emea", period: "2026-11", amount: 30_000 },
  ];
  it.each([
    [{}, { from: "2026-11-01", to: "2026-11-30" }, 300_000 + 30_000],
    [{ team: "emea" }, { from: "2026-11-16", to: "2026-11-22" }, 7_000],
    [{ rep: "ada" }, { from: "2026-12-25", to: "2027-01-07" }, 7_000],
    [{ team: "inside" }, { from: "2026-11-01", to: "2026-11-30" }, null],
    [{ campaign: "webinar" }, { from: "2026-11-01", to: "2026-11-30" }, null],
    [{}, { from: "2027-01-01", to: "2027-01-31" }, null],
  ])("quota for %j over %j is %s", (scope, period, expected) => {
    expect(quotaForPeriod(quotas, period, scope)).toBe(expected);
  });

  it("prorates the weekly MQL target, overall only", () => {
    expect(mqlTargetForPeriod(120, 14, {})).toBe(240);
    expect(mqlTargetForPeriod(100, 30, {})).toBe(428.57);
    expect(mqlTargetForPeriod(120, 7, { team: "emea" })).toBeNull();
    expect(mqlTargetForPeriod(undefined, 7, {})).toBeNull();
  });
});

describe("resolveKpiRequest", () => {
  const config = {
    timezone: "Europe/London",
    teams: [
      { id: "emea", timezone: "Europe/Berlin", reps: [{ id: "ada" }] },
      { id: "na", timezone: "America/New_York", reps: [{ id: "grace" }] },
    ],
  };
  const now = new Date("2026-11-25T12:00:00Z");
  it("reads the period in the team's, the rep's team's or the configuration's time zone", () => {
    expect(resolveKpiRequest(config, {}, now).period).toMatchObject({ from: "2026-11-23", timezone: "Europe/London" });
    expect(resolveKpiRequest(config, { team: "na" }, now).period.timezone).toBe("America/New_York");
    expect(resolveKpiRequest(config, { rep: "ada" }, now).period.timezone).toBe("Europe/Berlin");
    expect(resolveKpiRequest(config, { period: "qtd", source: " HubSpot " }, now)).toMatchObject({
      scope: { source: "hubspot" },
      previous: { from: "2026-08-06", to: "2026-09-30" },
    });
  });
  it.each([
    [{ team: "apac" }, "team", 'Unknown team "apac": use one of emea, na.'],
    [{ rep: "bob" }, "rep", 'Unknown rep "bob".'],
    [
      { period: "ytd" },
      "period",
      'Unknown period "ytd": use this-week, last-week, mtd, qtd, 30d, 90d or YYYY-MM-DD..YYYY-MM-DD.',
    ],
    [{ campaign: " " }, "campaign", "campaign must be 1 to 255 characters."],
  ])("refuses %j naming %s", (input, parameter, message) => {
    let thrown: unknown;
    try {
      resolveKpiRequest(config, input, now);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KpiInputError);
    expect(thrown).toMatchObject({ parameter, message });
  });
});
