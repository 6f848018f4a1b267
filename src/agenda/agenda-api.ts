/** `GET /api/agenda[?team=]`: this week's agenda (joint or a team's) as data, in CONTRACT.md's shape. */
import type { BatonConfig } from "../config/baton-config.ts";
import { agendaWeeks } from "../domain/agenda/agenda-week.ts";
import { buildAgenda } from "../domain/agenda/build-agenda.ts";
import { AppError } from "../errors.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { agendaTargetFor } from "./agenda-targets.ts";
import { agendaTimezone, loadAgendaFacts } from "./load-agenda-facts.ts";

export async function loadAgendaForApi(prisma: PrismaClient, config: BatonConfig, team: string, now: Date) {
  const target = agendaTargetFor(config, team);
  if ("unknownTeam" in target) {
    const message = `Unknown team "${target.unknownTeam}": use one of ${config.teams.map((t) => t.id).join(", ")}.`;
    throw new AppError("INVALID_INPUT", { message, details: { team: message } });
  }
  const weekStart = agendaWeeks(now, agendaTimezone(config, target)).weekStart;
  const agenda = buildAgenda(await loadAgendaFacts(prisma, config, target, weekStart), now);
  return {
    team: target.team?.id ?? null,
    weekStart,
    items: [
      ...agenda.items.map((item) => ({
        section: item.section,
        title: item.title,
        owner: item.owner,
        evidence: item.evidence,
        leadIds: item.leadIds,
        link: item.link,
      })),
      ...agenda.actionItems.map((item) => ({
        section: "action" as const,
        title: item.text,
        owner: item.owner,
        evidence: item.status === "done" ? "done" : item.due ? `open, due ${item.due}` : "open",
        leadIds: [],
        link: item.link,
        actionItemId: item.id,
        status: item.status,
      })),
    ],
    kpis: agenda.kpis ?? {},
    scoreboard: agenda.scoreboard,
    funnel: agenda.funnel.steps,
    gettingStarted: agenda.gettingStarted,
  };
}
