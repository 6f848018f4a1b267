/**
 * Which agendas this configuration posts: the joint sales–marketing one when `agenda.channel` is set, and one per
 * team that sets `agenda` (its own schedule and conversation, defaulting to the joint schedule and its channel).
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { JOINT_SCOPE } from "../domain/agenda/agenda-facts.ts";
import type { AgendaTarget } from "./load-agenda-facts.ts";

export interface PostedAgenda extends AgendaTarget {
  schedule: string;
  timezone: string;
  conversation: string;
}

export function postedAgendas(config: BatonConfig): PostedAgenda[] {
  const agendas: PostedAgenda[] = [];
  const timezone = config.agenda.timezone ?? config.timezone;
  if (config.agenda.channel) {
    agendas.push({
      scope: JOINT_SCOPE,
      team: null,
      schedule: config.agenda.schedule,
      timezone,
      conversation: config.agenda.channel,
    });
  }
  for (const team of config.teams) {
    if (!team.agenda) continue;
    agendas.push({
      scope: team.id,
      team: { id: team.id, name: team.name, timezone: team.timezone },
      schedule: team.agenda.schedule ?? config.agenda.schedule,
      timezone: team.timezone,
      conversation: team.agenda.channel ?? team.channel,
    });
  }
  return agendas;
}

/** The agenda a person asks for (`agenda [team]`, `?team=`): a team by id or name, else the joint one. */
export function agendaTargetFor(config: BatonConfig, teamQuery: string): AgendaTarget | { unknownTeam: string } {
  const query = teamQuery.trim().toLowerCase();
  if (!query) return { scope: JOINT_SCOPE, team: null };
  const team = config.teams.find((candidate) => candidate.id === query || candidate.name.toLowerCase() === query);
  if (!team) return { unknownTeam: teamQuery.trim() };
  return { scope: team.id, team: { id: team.id, name: team.name, timezone: team.timezone } };
}
