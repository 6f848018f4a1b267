/**
 * Decides which team (and which rep in it) gets a lead, and says why in words a rep understands.
 * Order: named-account ownership, then the first matching rule, then the fallback team. Within the team a rep is
 * suggested by capacity-weighted round-robin among reps who are active, under capacity and inside working hours.
 */
import type { Weekday } from "../sla/business-time.ts";
import { isWithinWorkingHours, type WorkingSchedule } from "../sla/business-time.ts";

export interface RoutableLead {
  companyDomain?: string | null;
  country?: string | null;
  region?: string | null;
  employees?: number | null;
  industry?: string | null;
  score?: number | null;
  source: string;
}

export interface RangeCondition {
  min?: number;
  max?: number;
}

export interface RoutingRule {
  id: string;
  team: string;
  match: {
    country?: string[];
    region?: string[];
    segment?: string[];
    employees?: RangeCondition;
    industry?: string[];
    score?: RangeCondition;
    source?: string[];
  };
}

export interface Segment {
  id: string;
  minEmployees: number;
  maxEmployees?: number;
}

export interface RoutingPolicy {
  segments: Segment[];
  namedAccounts: { domain: string; owner: string }[];
  rules: RoutingRule[];
  fallbackTeam: string;
}

/** A rep as the router sees them right now. */
export interface RepState {
  id: string;
  name: string;
  teamId: string;
  capacity: number;
  away: boolean;
  /** Accepted leads still being worked. */
  openLeads: number;
  /** Offers suggested to this rep in the recent window: the round-robin's memory. */
  recentOffers: number;
  lastOfferedAt: Date | null;
  schedule: WorkingSchedule;
}

export interface TeamState {
  id: string;
  name: string;
  reps: RepState[];
}

export interface RoutingDecision {
  teamId: string;
  repId: string | null;
  /** `named-account`, a rule id, or `fallback`. */
  ruleId: string;
  reason: string;
}

export function segmentOf(employees: number | null | undefined, segments: Segment[]): string | undefined {
  if (employees === null || employees === undefined) return undefined;
  return segments.find(
    (segment) =>
      employees >= segment.minEmployees && (segment.maxEmployees === undefined || employees <= segment.maxEmployees),
  )?.id;
}

const equalsIgnoringCase = (list: string[], value: string | null | undefined) =>
  value !== null && value !== undefined && list.some((item) => item.toLowerCase() === value.toLowerCase());

const inRange = (range: RangeCondition, value: number | null | undefined) =>
  value !== null &&
  value !== undefined &&
  (range.min === undefined || value >= range.min) &&
  (range.max === undefined || value <= range.max);

/** The conditions a rule matched on, as `region=EMEA`-style phrases; null when it does not match. */
export function matchRule(rule: RoutingRule, lead: RoutableLead, segments: Segment[]): string[] | null {
  const because: string[] = [];
  const { match } = rule;
  if (match.country) {
    if (!equalsIgnoringCase(match.country, lead.country)) return null;
    because.push(`country=${lead.country?.toUpperCase()}`);
  }
  if (match.region) {
    if (!equalsIgnoringCase(match.region, lead.region)) return null;
    because.push(`region=${lead.region}`);
  }
  if (match.segment) {
    const segment = segmentOf(lead.employees, segments);
    if (!segment || !match.segment.includes(segment)) return null;
    because.push(`segment=${segment}`);
  }
  if (match.employees) {
    if (!inRange(match.employees, lead.employees)) return null;
  }
  if (match.segment || match.employees) because.push(`employees ${lead.employees}`);
  if (match.industry) {
    if (!equalsIgnoringCase(match.industry, lead.industry)) return null;
    because.push(`industry=${lead.industry}`);
  }
  if (match.score) {
    if (!inRange(match.score, lead.score)) return null;
    because.push(`score ${lead.score}`);
  }
  if (match.source) {
    if (!equalsIgnoringCase(match.source, lead.source)) return null;
    because.push(`source=${lead.source}`);
  }
  return because;
}

/**
 * Capacity-weighted round-robin: the eligible rep with the fewest recent offers per unit of capacity; ties go to
 * whoever waited longest, then by id, so the choice is deterministic. With equal capacities this is plain
 * round-robin; a rep with twice the capacity gets twice the leads.
 */
export function pickRep(team: TeamState, now: Date): { rep: RepState | null; skipped: string[] } {
  const skipped: string[] = [];
  const whyNot = (rep: RepState): string | undefined => {
    if (rep.away) return "away";
    if (rep.capacity <= 0 || rep.openLeads >= rep.capacity) return "at capacity";
    if (!isWithinWorkingHours(now, rep.schedule)) return "off hours";
    return undefined;
  };
  const eligible: RepState[] = [];
  for (const rep of team.reps) {
    const reason = whyNot(rep);
    if (reason) skipped.push(`${rep.name} ${reason}`);
    else eligible.push(rep);
  }
  eligible.sort(
    (a, b) =>
      a.recentOffers / a.capacity - b.recentOffers / b.capacity ||
      (a.lastOfferedAt?.getTime() ?? 0) - (b.lastOfferedAt?.getTime() ?? 0) ||
      a.id.localeCompare(b.id),
  );
  return { rep: eligible[0] ?? null, skipped };
}

/**
 * The named account a company domain belongs to: the domain itself or a parent (`eu.acme.example` is
 * `acme.example`'s), the most specific listed one winning.
 */
export function namedAccountOf(
  companyDomain: string | null | undefined,
  accounts: RoutingPolicy["namedAccounts"],
): RoutingPolicy["namedAccounts"][number] | undefined {
  const domain = companyDomain?.toLowerCase();
  if (!domain) return undefined;
  return accounts
    .filter((account) => domain === account.domain || domain.endsWith(`.${account.domain}`))
    .sort((a, b) => b.domain.length - a.domain.length)[0];
}

/** Routes one lead. `excludeTeamIds` (teams that already turned it down) are never chosen; null when none is left. */
export function routeLead(
  lead: RoutableLead,
  policy: RoutingPolicy,
  teams: TeamState[],
  options: { now: Date; excludeTeamIds?: string[] },
): RoutingDecision | null {
  const excluded = new Set(options.excludeTeamIds ?? []);
  const teamById = new Map(teams.map((team) => [team.id, team]));
  const usable = (teamId: string) => teamById.has(teamId) && !excluded.has(teamId);

  const inTeam = (teamId: string, ruleId: string, why: string): RoutingDecision => {
    const team = teamById.get(teamId) as TeamState;
    const { rep, skipped } = pickRep(team, options.now);
    const suggestion = rep ? `; round-robin: ${rep.name}` : "; no rep available now, anyone in the team can take it";
    const skippedNote = skipped.length > 0 ? ` (skipped ${skipped.join(", ")})` : "";
    return { teamId, repId: rep?.id ?? null, ruleId, reason: `${why}${suggestion}${skippedNote}` };
  };

  const account = namedAccountOf(lead.companyDomain, policy.namedAccounts);
  if (account) {
    const owner = teams.flatMap((team) => team.reps).find((rep) => rep.id === account.owner);
    if (owner && usable(owner.teamId)) {
      if (!owner.away) {
        return {
          teamId: owner.teamId,
          repId: owner.id,
          ruleId: "named-account",
          reason: `named account ${account.domain}: owned by ${owner.name}`,
        };
      }
      return inTeam(owner.teamId, "named-account", `named account ${account.domain}: owner ${owner.name} is away`);
    }
  }

  for (const rule of policy.rules) {
    if (!usable(rule.team)) continue;
    const because = matchRule(rule, lead, policy.segments);
    if (because) {
      return inTeam(rule.team, rule.id, `rule \`${rule.id}\`${because.length ? `: ${because.join(", ")}` : ""}`);
    }
  }

  if (usable(policy.fallbackTeam)) return inTeam(policy.fallbackTeam, "fallback", "no rule matched: fallback team");
  // The fallback already said no (a re-route): any other team is better than dropping the lead.
  const other = teams.find((team) => !excluded.has(team.id));
  return other ? inTeam(other.id, "fallback", "every matching team declined: next team") : null;
}

export type { Weekday };
