/**
 * The KPI report of a period and of the period before it, as `/api/kpi` returns it and the chat scorecard shows
 * it: every query runs in the database (aggregates only, no lead is loaded), the domain turns the sums into KPIs.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import {
  computeKpis,
  type KpiFacts,
  type KpiScope,
  type Kpis,
  mqlTargetForPeriod,
  quotaForPeriod,
} from "../domain/kpi/kpi-definitions.ts";
import type { KpiReport } from "../domain/kpi/kpi-report.ts";
import type { KpiRequest } from "../domain/kpi/kpi-request.ts";
import type { KpiPeriod } from "../domain/kpi/period.ts";
import type { KpiDb } from "./kpi-query-scope.ts";
import { sumClosedDeals } from "./sum-closed-deals.ts";
import { sumMarketingSpend } from "./sum-marketing-spend.ts";
import { sumOpenPipeline } from "./sum-open-pipeline.ts";
import { summarizePeriodMqls } from "./summarize-period-mqls.ts";

/** The aggregates of one period, each from its own query. */
export async function loadKpiFacts(db: KpiDb, period: KpiPeriod, scope: KpiScope): Promise<KpiFacts> {
  const window = { start: period.start, end: period.end };
  // One after the other within a period: PGlite serves one query at a time anyway, and a request fanning out over
  // the whole pool would starve the webhooks on a busy PostgreSQL.
  const mqls = await summarizePeriodMqls(db, window, scope);
  const closed = await sumClosedDeals(db, window, scope);
  const openPipeline = await sumOpenPipeline(db, window, scope);
  const spend = await sumMarketingSpend(db, period, scope);
  return { ...mqls, ...closed, openPipeline, spend };
}

function kpisOf(facts: KpiFacts, period: KpiPeriod, scope: KpiScope, config: BatonConfig): Kpis {
  return computeKpis(facts, {
    quota: quotaForPeriod(config.targets.quotas, period, scope),
    mqlTarget: mqlTargetForPeriod(config.targets.weeklyMqls, period.days, scope),
  });
}

export async function loadKpiReport(db: KpiDb, config: BatonConfig, request: KpiRequest): Promise<KpiReport> {
  const { period, previous, scope } = request;
  // The two periods side by side: on PostgreSQL they run on two connections (PGlite takes them in turn).
  const [current, before] = await Promise.all([loadKpiFacts(db, period, scope), loadKpiFacts(db, previous, scope)]);
  const { team, ...filters } = scope;
  return {
    period: { from: period.from, to: period.to, timezone: period.timezone },
    previousPeriod: { from: previous.from, to: previous.to },
    team: team ?? null,
    filters,
    kpis: kpisOf(current, period, scope, config),
    previous: kpisOf(before, previous, scope, config),
  };
}
