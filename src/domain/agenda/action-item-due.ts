/**
 * Due dates of action items as people type them (`2026-12-04`, `today`, `tomorrow`, `friday`, `next week`), read
 * in the agenda's time zone (the team's, or the configuration's for the joint agenda). An item is due by the end
 * of its day: `dueAt` is the last millisecond of that local day, so "overdue" is simply `dueAt < now` and the day
 * reads back the same in that time zone.
 */
import { addDays, type CalendarDay, formatDay, parseDay } from "../kpi/period.ts";
import { localParts, type Weekday, zonedTimeToUtc } from "../sla/business-time.ts";

const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** Every spelling of a weekday Baton reads, lower-case: `fri`, `friday`; `tues`, `thur`, `thurs` too. */
const WEEKDAY_WORDS: Record<string, Weekday> = {
  mon: "mon",
  monday: "mon",
  tue: "tue",
  tues: "tue",
  tuesday: "tue",
  wed: "wed",
  weds: "wed",
  wednesday: "wed",
  thu: "thu",
  thur: "thu",
  thurs: "thu",
  thursday: "thu",
  fri: "fri",
  friday: "fri",
  sat: "sat",
  saturday: "sat",
  sun: "sun",
  sunday: "sun",
};

export const DUE_USAGE = "YYYY-MM-DD, today, tomorrow, a weekday (the next one after today) or next week (7 days on)";

/** A due date further out than this is most likely a typo in the year. */
const MAX_DAYS_AHEAD = 366;

/**
 * How many of `words`, from `index`, spell a due date: 2 for `next week`, 1 for the one-word forms, 0 for none.
 * Only the shape is checked here (`2026-02-30` counts); {@link resolveDueDate} says whether the day exists.
 */
export function dueWordsAt(words: readonly string[], index: number): number {
  const word = words[index]?.toLowerCase();
  if (word === undefined) return 0;
  if (word === "next" && words[index + 1]?.toLowerCase() === "week") return 2;
  if (word === "next-week" || word === "today" || word === "tomorrow") return 1;
  if (word in WEEKDAY_WORDS) return 1;
  return /^\d{4}-\d{2}-\d{2}$/.test(word) ? 1 : 0;
}

export type ResolvedDue = { ok: true; day: string; dueAt: Date } | { ok: false; error: string };

/** The local calendar day of `at` in `timeZone`. */
export function localDayOf(at: Date, timeZone: string): CalendarDay {
  const { year, month, day } = localParts(at, timeZone);
  return { year, month, day };
}

/** The last millisecond of a local day: an item due that day is overdue from the next local midnight. */
export function endOfLocalDay(day: CalendarDay, timeZone: string): Date {
  return new Date(zonedTimeToUtc(addDays(day, 1), 0, timeZone).getTime() - 1);
}

/** Reads a due date (`next week` as one phrase) typed at `now`; a day before today is refused. */
export function resolveDueDate(phrase: string, options: { now: Date; timeZone: string }): ResolvedDue {
  const word = phrase.trim().toLowerCase().replace(/\s+/g, " ");
  const today = localDayOf(options.now, options.timeZone);
  let day: CalendarDay | null;
  if (word === "today") day = today;
  else if (word === "tomorrow") day = addDays(today, 1);
  else if (word === "next week" || word === "next-week") day = addDays(today, 7);
  else if (word in WEEKDAY_WORDS) {
    const todayIndex = WEEKDAYS.indexOf(localParts(options.now, options.timeZone).weekday);
    const wanted = WEEKDAYS.indexOf(WEEKDAY_WORDS[word]);
    // The next one after today: on a Friday, "friday" is a week away ("today" is today).
    day = addDays(today, ((wanted - todayIndex + 6) % 7) + 1);
  } else {
    day = parseDay(word);
    if (!day) {
      return /^\d{4}-\d{2}-\d{2}$/.test(word)
        ? { ok: false, error: `There is no day ${phrase}.` }
        : { ok: false, error: `"${phrase}" is not a due date: use ${DUE_USAGE}.` };
    }
    const iso = formatDay(day);
    if (iso < formatDay(today)) return { ok: false, error: `${iso} is in the past.` };
    if (iso > formatDay(addDays(today, MAX_DAYS_AHEAD))) {
      return { ok: false, error: `${iso} is more than a year away: check the year.` };
    }
  }
  return { ok: true, day: formatDay(day), dueAt: endOfLocalDay(day, options.timeZone) };
}

/** A due date as people read it, in the agenda's time zone: `Fri 4 Dec 2026`. */
export function formatDueDate(dueAt: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
  })
    .format(dueAt)
    .replace(",", "");
}
