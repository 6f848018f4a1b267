/**
 * Business time: SLA clocks count only the minutes inside a team's (or rep's) working hours, in its time zone,
 * so a lead that arrives on Friday evening is not "late" on Saturday morning. DST-safe: every window is computed
 * from local wall-clock times through the IANA time zone database that Intl carries.
 */

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export interface WorkingSchedule {
  timeZone: string;
  days: readonly Weekday[];
  /** "09:00" */
  start: string;
  /** "17:30"; "24:00" means midnight at the end of the day. */
  end: string;
  /** Local dates ("2026-12-25") with no working time at all: a clock never runs on a holiday. */
  holidays?: readonly string[];
}

/** Whether the local day is a working day: a working weekday that is not a holiday. */
function isWorkingDay(day: { year: number; month: number; day: number; weekday: Weekday }, schedule: WorkingSchedule) {
  if (!schedule.days.includes(day.weekday)) return false;
  if (!schedule.holidays || schedule.holidays.length === 0) return true;
  const iso = `${day.year}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`;
  return !schedule.holidays.includes(iso);
}

const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
  Sun: "sun",
};

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

/** The wall-clock reading of `at` in `timeZone`, read from Intl. */
function intlLocalParts(at: Date, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAY_BY_SHORT[parts.weekday],
  };
}

/** How far `timeZone`'s clocks are ahead of UTC at `atMs` (whole seconds, from Intl). */
function intlOffsetMs(atMs: number, timeZone: string): number {
  const p = intlLocalParts(new Date(atMs), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(atMs / 1000) * 1000;
}

/**
 * UTC offsets by time zone and quarter hour. Intl's formatToParts costs ~10 µs a call and every MQL's routing and
 * SLA clock make dozens; an offset only changes at a transition, and today's transitions fall on quarter hours
 * of UTC. A quarter hour whose two ends disagree (a transition inside it) is not cached: read from Intl each time.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const MAX_CACHED_OFFSETS = 100_000;
const offsetsByQuarterHour = new Map<string, number>();

function offsetAt(atMs: number, timeZone: string): number {
  const quarter = Math.floor(atMs / QUARTER_HOUR_MS);
  const key = `${timeZone} ${quarter}`;
  const cached = offsetsByQuarterHour.get(key);
  if (cached !== undefined) return cached;
  const start = quarter * QUARTER_HOUR_MS;
  const offset = intlOffsetMs(start, timeZone);
  if (intlOffsetMs(start + QUARTER_HOUR_MS - 1000, timeZone) !== offset) return intlOffsetMs(atMs, timeZone);
  if (offsetsByQuarterHour.size >= MAX_CACHED_OFFSETS) offsetsByQuarterHour.clear();
  offsetsByQuarterHour.set(key, offset);
  return offset;
}

const WEEKDAYS_FROM_SUNDAY: Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The wall-clock reading of `at` in `timeZone` (to the second, as a clock shows it). */
export function localParts(at: Date, timeZone: string): LocalParts {
  const ms = at.getTime();
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetAt(ms, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: WEEKDAYS_FROM_SUNDAY[local.getUTCDay()],
  };
}

function offsetMs(at: Date, timeZone: string): number {
  return offsetAt(at.getTime(), timeZone);
}

/**
 * The instant at which clocks in `timeZone` show the given wall time. In a DST gap the time does not exist and
 * the result is just after the gap; in an overlap the earlier instant is used.
 */
export function zonedTimeToUtc(
  date: { year: number; month: number; day: number },
  minutesOfDay: number,
  timeZone: string,
): Date {
  const guess = Date.UTC(date.year, date.month - 1, date.day, 0, minutesOfDay);
  const first = guess - offsetMs(new Date(guess), timeZone);
  const second = guess - offsetMs(new Date(first), timeZone);
  return new Date(Math.min(first, second));
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return hours * 60 + minutes;
}

function nextDay(date: { year: number; month: number; day: number }) {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

const MINUTE = 60_000;

/** `start` plus `minutes` of working time. With no working days at all, plain calendar time is used. */
export function addBusinessMinutes(start: Date, minutes: number, schedule: WorkingSchedule): Date {
  if (minutes <= 0) return new Date(start);
  if (schedule.days.length === 0) return new Date(start.getTime() + minutes * MINUTE);
  const open = minutesOf(schedule.start);
  const close = minutesOf(schedule.end);
  let remaining = minutes * MINUTE;
  let cursor = start.getTime();
  let day = localParts(start, schedule.timeZone);
  // Two years of days is far beyond any SLA; the bound only guards against a schedule with no open minutes.
  for (let i = 0; i < 800; i++) {
    if (isWorkingDay(day, schedule)) {
      const windowStart = zonedTimeToUtc(day, open, schedule.timeZone).getTime();
      const windowEnd = zonedTimeToUtc(day, close, schedule.timeZone).getTime();
      if (cursor < windowStart) cursor = windowStart;
      if (cursor < windowEnd) {
        const available = windowEnd - cursor;
        if (remaining <= available) return new Date(cursor + remaining);
        remaining -= available;
        cursor = windowEnd;
      }
    }
    const following = nextDay(day);
    const midnight = zonedTimeToUtc(following, 0, schedule.timeZone).getTime();
    cursor = Math.max(cursor, midnight);
    day = { ...localParts(new Date(midnight), schedule.timeZone), ...following };
  }
  throw new Error("working schedule has no open time");
}

/** Working minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(from: Date, to: Date, schedule: WorkingSchedule): number {
  if (to <= from) return 0;
  const open = minutesOf(schedule.start);
  const close = minutesOf(schedule.end);
  let total = 0;
  let day = localParts(from, schedule.timeZone);
  for (let i = 0; i < 800; i++) {
    const dayStart = zonedTimeToUtc(day, 0, schedule.timeZone).getTime();
    if (dayStart >= to.getTime()) break;
    if (isWorkingDay(day, schedule)) {
      const windowStart = Math.max(zonedTimeToUtc(day, open, schedule.timeZone).getTime(), from.getTime());
      const windowEnd = Math.min(zonedTimeToUtc(day, close, schedule.timeZone).getTime(), to.getTime());
      if (windowEnd > windowStart) total += windowEnd - windowStart;
    }
    const following = nextDay(day);
    day = { ...localParts(zonedTimeToUtc(following, 0, schedule.timeZone), schedule.timeZone), ...following };
  }
  return Math.round(total / MINUTE);
}

/** Whether `at` falls inside the working hours. */
export function isWithinWorkingHours(at: Date, schedule: WorkingSchedule): boolean {
  const local = localParts(at, schedule.timeZone);
  if (!isWorkingDay(local, schedule)) return false;
  const minute = local.hour * 60 + local.minute;
  return minute >= minutesOf(schedule.start) && minute < minutesOf(schedule.end);
}
