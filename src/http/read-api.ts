/**
 * The read API for dashboards and BI tools (CONTRACT.md "Read API"): `GET /api/kpi`, JSON or, with
 * `Accept: text/csv`, CSV. Off (404) unless BATON_API_TOKEN is set.
 */
import type { Express, Request } from "express";
import { loadAgendaForApi } from "../agenda/agenda-api.ts";
import type { BatonConfig } from "../config/baton-config.ts";
import { kpiReportToCsv } from "../domain/kpi/kpi-report-csv.ts";
import { KpiInputError, type KpiRequestInput, resolveKpiRequest } from "../domain/kpi/kpi-request.ts";
import { AppError } from "../errors.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { loadKpiReport } from "../kpi/load-kpi-report.ts";
import { requireBearerToken } from "./bearer-auth.ts";

export interface ReadApiDeps {
  prisma: PrismaClient;
  /** BATON_API_TOKEN; undefined leaves the read API unmounted. */
  apiToken: string | undefined;
  batonConfig: () => BatonConfig;
  now?: () => Date;
}

const KPI_PARAMETERS = ["period", "team", "rep", "source", "campaign"] as const;

const invalid = (parameter: string, message: string) =>
  new AppError("INVALID_INPUT", { message, details: { [parameter]: message } });

/** The query string as a {@link KpiRequestInput}: each known parameter at most once, nothing unknown. */
function kpiInputOf(req: Request): KpiRequestInput {
  const input: KpiRequestInput = {};
  for (const [key, value] of Object.entries(req.query)) {
    if (!(KPI_PARAMETERS as readonly string[]).includes(key)) {
      throw invalid(key, `Unknown parameter "${key}": use ${KPI_PARAMETERS.join(", ")}.`);
    }
    if (typeof value !== "string") throw invalid(key, `Give ${key} once, as plain text.`);
    input[key as keyof KpiRequestInput] = value;
  }
  return input;
}

/** `?team=` of `/api/agenda`: nothing else, at most once. */
function agendaTeamOf(req: Request): string {
  for (const [key, value] of Object.entries(req.query)) {
    if (key !== "team") throw invalid(key, `Unknown parameter "${key}": use team.`);
    if (typeof value !== "string" || value.trim() === "") throw invalid(key, "Give team once, as a team id.");
  }
  return typeof req.query.team === "string" ? req.query.team : "";
}

export function createReadApiRoutes(deps: ReadApiDeps): (app: Express) => void {
  const now = deps.now ?? (() => new Date());
  return (app) => {
    if (!deps.apiToken) return;
    app.get("/api/kpi", requireBearerToken(deps.apiToken), async (req, res) => {
      const config = deps.batonConfig();
      let request: ReturnType<typeof resolveKpiRequest>;
      try {
        request = resolveKpiRequest(config, kpiInputOf(req), now());
      } catch (error) {
        if (error instanceof KpiInputError) throw invalid(error.parameter, error.message);
        throw error;
      }
      const report = await loadKpiReport(deps.prisma, config, request);
      res.vary("Accept");
      if (req.accepts(["application/json", "text/csv"]) === "text/csv") {
        const name = `kpi-${report.period.from}-${report.period.to}${report.team ? `-${report.team}` : ""}.csv`;
        res.type("text/csv; charset=utf-8").attachment(name).send(kpiReportToCsv(report));
        return;
      }
      const { period, team, kpis, previous, filters } = report;
      res.json({ period, team, ...(Object.keys(filters).length > 0 ? { filters } : {}), kpis, previous });
    });
    app.get("/api/agenda", requireBearerToken(deps.apiToken), async (req, res) => {
      res.json(await loadAgendaForApi(deps.prisma, deps.batonConfig(), agendaTeamOf(req), now()));
    });
  };
}
