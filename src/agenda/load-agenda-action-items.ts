/**
 * The action items an agenda shows: every open item of its scope (they carry over week to week), and the items
 * done since the previous agenda's week started, shown once as done. Dropped items are not shown.
 */
import type { AgendaActionItem } from "../domain/agenda/agenda-facts.ts";
import { agendaWeeksOf } from "../domain/agenda/agenda-week.ts";
import type { Db } from "../repositories/outbox.ts";

export async function loadAgendaActionItems(
  db: Db,
  input: { scope: string; weekStart: string; timezone: string },
): Promise<AgendaActionItem[]> {
  const previous = await db.weeklyAgenda.findFirst({
    where: { scope: input.scope, postedAt: { not: null }, weekStart: { lt: new Date(`${input.weekStart}T00:00:00Z`) } },
    orderBy: { weekStart: "desc" },
    select: { weekStart: true },
  });
  // Without a previous agenda (the first one), the week just ended.
  const doneSince = previous
    ? agendaWeeksOf(previous.weekStart.toISOString().slice(0, 10), input.timezone).thisWeek.start
    : agendaWeeksOf(input.weekStart, input.timezone).reviewedWeek.start;
  const rows = await db.actionItem.findMany({
    where: {
      scope: input.scope,
      OR: [{ status: "open" }, { status: "done", doneAt: { gte: doneSince } }],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 50,
  });
  return rows.map((row) => ({
    id: row.id,
    text: row.text,
    owner: row.owner,
    status: row.status === "done" ? "done" : "open",
    dueAt: row.dueAt,
    doneAt: row.doneAt,
    sourceLink: row.sourceLink,
  }));
}
