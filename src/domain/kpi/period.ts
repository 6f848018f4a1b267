/**
 * KPI periods as people type them (`this-week`, `qtd`, `2026-11-01..2026-11-15`), read as whole local days in a
 * time zone, and the period just before of the same length, for the "change vs previous" figures.
 */
import { localParts, zonedTimeToUtc } from "../sla/business-time.ts";

export const PERIOD_NAMES = ["this-week", "last-week", "mtd", "qtd", "30d", "90d"] as const;
export const PERIOD_USAGE = `${PERIOD_NAMES.join(", ")} or YYYY-MM-DD..YYYY-MM-DD`;

/** A calendar day, no time zone: `{ year: 2026, month: 11, day: 16 }`. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

export interface KpiPeriod {
  /** First and last local day, both included: `2026-11-16`. */
  from: string;
  to: string;
  timezone: string;
  /** Local midnight starting `from`, as an instant. */
  start: Date;
  /** Local midnight after `to` (exclusive bound). */
  end: Date;
  /** Whole days from `from` to `to`, both included. */
  days: number;
}

/** A period the caller typed that Baton cannot read; the message names it and says what is accepted. */
export class PeriodError extends Error {
  override name = "PeriodError";
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Longer ranges would turn an innocent typo (2062 for 2026) into a scan of the whole history. */
const MAX_DAYS = 3 * 366;

const toUtcDate = (d: CalendarDay) => new Date(Date.UTC(d.year, d.month - 1, d.day));
const fromUtcDate = (date: Date): CalendarDay => ({
  year: date.getUTCFullYear(),
  month: date.getUTCMonth() + 1,
  day: date.getUTCDate(),
});

export function addDays(d: CalendarDay, days: number): CalendarDay {
  return fromUtcDate(new Date(toUtcDate(d).getTime() + days * DAY_MS));
}

export function formatDay(d: CalendarDay): string {
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

export function parseDay(text: string): CalendarDay | null {
  const match = ISO_DAY.exec(text);
  if (!match) return null;
  const d = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  // Date.UTC rolls 2026-02-30 over to March: a day that does not round-trip does not exist.
  return formatDay(fromUtcDate(toUtcDate(d))) === text ? d : null;
}

const daysBetween = (a: CalendarDay, b: CalendarDay) =>
  Math.round((toUtcDate(b).getTime() - toUtcDate(a).getTime()) / DAY_MS);

/** The period from `first` to `last` local day, both included. */
export function periodOfDays(first: CalendarDay, last: CalendarDay, timezone: string): KpiPeriod {
  return {
    from: formatDay(first),
    to: formatDay(last),
    timezone,
    start: zonedTimeToUtc(first, 0, timezone),
    end: zonedTimeToUtc(addDays(last, 1), 0, timezone),
    days: daysBetween(first, last) + 1,
  };
}

/**
 * Reads a period in `timezone` at `now`. Weeks run Monday to Sunday and are whole (`this-week` includes the days
 * still to come); `mtd` and `qtd` run to today; `30d` and `90d` are the last 30 / 90 days, today included.
 */
export function parsePeriod(text: string, options: { now: Date; timezone: string }): KpiPeriod {
  const input = text.trim().toLowerCase();
  const local = localParts(options.now, options.timezone);
  const today: CalendarDay = { year: local.year, month: local.month, day: local.day };
  const monday = addDays(today, -((toUtcDate(today).getUTCDay() + 6) % 7));
  const tz = options.timezone;
  switch (input) {
    case "this-week":
      return periodOfDays(monday, addDays(monday, 6), tz);
    case "last-week":
      return periodOfDays(addDays(monday, -7), addDays(monday, -1), tz);
    case "mtd":
      return periodOfDays({ ...today, day: 1 }, today, tz);
    case "qtd":
      return periodOfDays({ ...today, month: today.month - ((today.month - 1) % 3), day: 1 }, today, tz);
    case "30d":
      return periodOfDays(addDays(today, -29), today, tz);
    case "90d":
      return periodOfDays(addDays(today, -89), today, tz);
  }
  const range = /^(\S+)\.\.(\S+)$/.exec(input);
  if (!range) throw new PeriodError(`Unknown period "${text.trim()}": use ${PERIOD_USAGE}.`);
  const [first, last] = [parseDay(range[1]), parseDay(range[2])];
  if (!first) throw new PeriodError(`"${range[1]}" is not a date: write it YYYY-MM-DD.`);
  if (!last) throw new PeriodError(`"${range[2]}" is not a date: write it YYYY-MM-DD.`);
  if (daysBetween(first, last) < 0) {
    throw new PeriodError(`The period ${input} ends before it starts.`);
  }
  if (daysBetween(first, last) + 1 > MAX_DAYS) {
    throw new PeriodError(`The period ${input} is longer than ${MAX_DAYS} days.`);
  }
  return periodOfDays(first, last, tz);
}

/** The period just before `period`, as many days long, ending the day before it starts. */
export function previousPeriod(period: KpiPeriod): KpiPeriod {
  const first = parseDay(period.from) as CalendarDay;
  return periodOfDays(addDays(first, -period.days), addDays(first, -1), period.timezone);
}
