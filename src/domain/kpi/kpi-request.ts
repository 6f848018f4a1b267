/**
 * What someone asked KPIs for (`period`, and at most a team, a rep, a source, a campaign), checked against the
 * configuration and turned into the period, the previous period and the scope. Shared by `/api/kpi` and `kpi`
 * in chat so that both read a period the same way.
 */
import type { KpiScope } from "./kpi-definitions.ts";
import { type KpiPeriod, PeriodError, parsePeriod, previousPeriod } from "./period.ts";

export interface KpiRequestInput {
  period?: string;
  team?: string;
  rep?: string;
  source?: string;
  campaign?: string;
}

/** The parts of the configuration a request is checked against. */
export interface KpiConfigView {
  timezone: string;
  teams: readonly { id: string; timezone: string; reps: readonly { id: string }[] }[];
}

export interface KpiRequest {
  period: KpiPeriod;
  previous: KpiPeriod;
  scope: KpiScope;
}

/** A request Baton cannot answer; `parameter` names the culprit (`period`, `team`, `rep`, …). */
export class KpiInputError extends Error {
  override name = "KpiInputError";
  constructor(
    readonly parameter: keyof KpiRequestInput,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_KPI_PERIOD = "this-week";

/**
 * The period is read in the named team's time zone (a rep's team's when only a rep is named), else the
 * configuration's.
 */
export function resolveKpiRequest(config: KpiConfigView, input: KpiRequestInput, now: Date): KpiRequest {
  const team = input.team === undefined ? undefined : config.teams.find((candidate) => candidate.id === input.team);
  if (input.team !== undefined && !team) {
    throw new KpiInputError(
      "team",
      `Unknown team "${input.team}": use one of ${config.teams.map((t) => t.id).join(", ")}.`,
    );
  }
  const repTeam =
    input.rep === undefined
      ? undefined
      : config.teams.find((candidate) => candidate.reps.some((r) => r.id === input.rep));
  if (input.rep !== undefined && !repTeam) throw new KpiInputError("rep", `Unknown rep "${input.rep}".`);
  for (const key of ["source", "campaign"] as const) {
    const value = input[key];
    if (value !== undefined && (value.trim() === "" || value.length > 255)) {
      throw new KpiInputError(key, `${key} must be 1 to 255 characters.`);
    }
  }
  const timezone = (team ?? repTeam)?.timezone ?? config.timezone;
  let period: KpiPeriod;
  try {
    period = parsePeriod(input.period ?? DEFAULT_KPI_PERIOD, { now, timezone });
  } catch (error) {
    if (error instanceof PeriodError) throw new KpiInputError("period", error.message);
    throw error;
  }
  const scope: KpiScope = {
    ...(input.team === undefined ? {} : { team: input.team }),
    ...(input.rep === undefined ? {} : { rep: input.rep }),
    // Intake stores sources lower-cased.
    ...(input.source === undefined ? {} : { source: input.source.trim().toLowerCase() }),
    ...(input.campaign === undefined ? {} : { campaign: input.campaign.trim() }),
  };
  return { period, previous: previousPeriod(period), scope };
}
