/** `sla [team]`: the SLA clocks as they stand — open, at risk within the next business hour, breached this week. */
import type { BatonConfig } from "../config/baton-config.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import { personAndCompany } from "../domain/lead-card.ts";
import { addBusinessMinutes, localParts, zonedTimeToUtc } from "../domain/sla/business-time.ts";
import { type SlaStatusReport, slaStatusMessage, unknownTeamReply } from "../domain/sla/sla-status-message.ts";
import { workingScheduleFor } from "../handoff/working-schedule.ts";
import type { Db } from "../repositories/outbox.ts";

/** Monday 00:00 of the week `at` falls in, in `timeZone`. */
export function startOfWeek(at: Date, timeZone: string): Date {
  const local = localParts(at, timeZone);
  const back = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].indexOf(local.weekday);
  const monday = new Date(Date.UTC(local.year, local.month - 1, local.day - back));
  return zonedTimeToUtc(
    { year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate() },
    0,
    timeZone,
  );
}

export async function slaStatus(db: Db, config: BatonConfig, teamQuery: string, now: Date): Promise<ChatMessage> {
  const query = teamQuery.trim().toLowerCase();
  const team = query
    ? config.teams.find((candidate) => candidate.id === query || candidate.name.toLowerCase() === query)
    : undefined;
  if (query && !team)
    return unknownTeamReply(
      teamQuery.trim(),
      config.teams.map((candidate) => candidate.id),
    );
  const timeZone = team?.timezone ?? config.timezone;
  const weekStart = startOfWeek(now, timeZone);
  const leadFilter = team ? { lead: { teamId: team.id } } : {};

  const running = await db.slaClock.findMany({
    where: { status: "running", ...leadFilter },
    include: { lead: { include: { team: true, owner: true } } },
    orderBy: { dueAt: "asc" },
  });
  const atRisk: SlaStatusReport["atRisk"] = [];
  for (const clock of running) {
    const clockTeam = clock.lead.team;
    if (!clockTeam) continue;
    const schedule = workingScheduleFor(clockTeam, clock.kind === "first_touch" ? clock.lead.owner : null);
    if (clock.dueAt.getTime() > addBusinessMinutes(now, 60, schedule).getTime()) continue;
    const who = personAndCompany(clock.lead);
    atRisk.push({
      who,
      kind: clock.kind,
      dueAt: clock.dueAt,
      holder: clock.kind === "first_touch" ? (clock.lead.owner?.name ?? clockTeam.name) : clockTeam.name,
      timeZone: clockTeam.timezone,
    });
  }

  const breached = await db.slaClock.findMany({
    where: { breachedAt: { gte: weekStart, lte: now }, ...leadFilter },
    include: { lead: { include: { owner: true, team: true } } },
  });
  const byRep = new Map<string, number>();
  for (const clock of breached) {
    let rep: string | undefined;
    if (clock.kind === "first_touch") rep = clock.lead.owner?.name;
    else {
      // The offer this clock timed was decided (routed) at the moment the clock started.
      const decision = await db.routingDecision.findFirst({
        where: { leadId: clock.leadId, decidedAt: clock.startedAt },
        include: { rep: true },
      });
      rep = decision?.rep?.name;
    }
    const label = rep ?? `${clock.lead.team?.name ?? "no team"} (no rep)`;
    byRep.set(label, (byRep.get(label) ?? 0) + 1);
  }

  return slaStatusMessage({
    teamName: team?.name ?? null,
    open: {
      accept: running.filter((clock) => clock.kind === "accept").length,
      first_touch: running.filter((clock) => clock.kind === "first_touch").length,
    },
    atRisk,
    breachesByRep: [...byRep]
      .map(([rep, count]) => ({ rep, count }))
      .sort((a, b) => b.count - a.count || a.rep.localeCompare(b.rep)),
    weekStart,
    timeZone,
  });
}
