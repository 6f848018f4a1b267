/** Marketing's week in numbers: MQLs received, offers accepted and rejected, the top reject reasons. */
import type { MqlWeek } from "../domain/sla/mql-sla-message.ts";
import type { Db } from "../repositories/outbox.ts";

/** ISO week of a Monday given as a UTC calendar date: "2027-W02". */
export function isoWeekKey(monday: { year: number; month: number; day: number }): string {
  const date = new Date(Date.UTC(monday.year, monday.month - 1, monday.day));
  // The ISO week belongs to the year of its Thursday.
  const thursday = new Date(date.getTime() + 3 * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / 86_400_000 / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

export async function mqlWeek(
  db: Db,
  input: { week: string; from: Date; to: Date; target: number; minAcceptanceRate?: number },
): Promise<MqlWeek> {
  const mqls = await db.lead.count({
    where: { receivedAt: { gte: input.from, lt: input.to }, duplicateOfId: null },
  });
  const decided = await db.offer.groupBy({
    by: ["status"],
    where: { decidedAt: { gte: input.from, lt: input.to }, status: { in: ["accepted", "rejected"] } },
    _count: { _all: true },
  });
  const reasons = await db.offer.groupBy({
    by: ["rejectReason"],
    where: { decidedAt: { gte: input.from, lt: input.to }, status: "rejected", rejectReason: { not: null } },
    _count: { _all: true },
  });
  const countOf = (status: string) => decided.find((row) => row.status === status)?._count._all ?? 0;
  return {
    week: input.week,
    mqls,
    target: input.target,
    accepted: countOf("accepted"),
    rejected: countOf("rejected"),
    ...(input.minAcceptanceRate === undefined ? {} : { minAcceptanceRate: input.minAcceptanceRate }),
    topRejectReasons: reasons
      .map((row) => ({ reason: String(row.rejectReason), count: row._count._all }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
      .slice(0, 3),
  };
}
