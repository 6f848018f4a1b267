/** A KPI report as `/api/kpi` returns it and the chat scorecard shows it: one period, and the one before. */
import type { KpiScope, Kpis } from "./kpi-definitions.ts";

export interface KpiReport {
  period: { from: string; to: string; timezone: string };
  previousPeriod: { from: string; to: string };
  team: string | null;
  /** The filters beyond the team (rep, source, campaign); empty when none. */
  filters: Omit<KpiScope, "team">;
  kpis: Kpis;
  previous: Kpis;
}
