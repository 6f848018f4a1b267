/**
 * Which weeks an agenda covers, in the scope's time zone: its own week (Monday to Sunday, the one `now` falls in),
 * the week just ended (what it reviews) and the four weeks before that (the baseline it is compared with).
 */
import { addDays, type CalendarDay, type KpiPeriod, parseDay, parsePeriod, periodOfDays } from "../kpi/period.ts";
import type { Window } from "./agenda-facts.ts";

export const BASELINE_WEEKS = 4;

export interface AgendaWeeks {
  /** Monday of the agenda's week, `YYYY-MM-DD`. */
  weekStart: string;
  thisWeek: KpiPeriod;
  reviewedWeek: KpiPeriod;
  /** The week before the reviewed one, for the scoreboard's change. */
  weekBeforeReviewed: KpiPeriod;
  baseline: Window;
}

export function agendaWeeks(now: Date, timezone: string): AgendaWeeks {
  const thisWeek = parsePeriod("this-week", { now, timezone });
  return agendaWeeksOf(thisWeek.from, timezone);
}

/** The weeks of the agenda whose week starts on `weekStart` (a Monday, `YYYY-MM-DD`). */
export function agendaWeeksOf(weekStart: string, timezone: string): AgendaWeeks {
  const monday = parseDay(weekStart) as CalendarDay;
  const week = (offset: number) => periodOfDays(addDays(monday, offset * 7), addDays(monday, offset * 7 + 6), timezone);
  const reviewedWeek = week(-1);
  const weekBeforeReviewed = week(-2);
  return {
    weekStart,
    thisWeek: week(0),
    reviewedWeek,
    weekBeforeReviewed,
    baseline: { start: week(-1 - BASELINE_WEEKS).start, end: reviewedWeek.start },
  };
}
