import { describe, expect, it } from "vitest";
import { PeriodError, parsePeriod, previousPeriod } from "../../../src/domain/kpi/period.ts";

// Wednesday 25 November 2026, 12:00 UTC.
const NOW = new Date("2026-11-25T12:00:00Z");

describe("parsePeriod", () => {
  it.each([
    // [input, time zone, from, to, days]
    ["this-week", "Europe/London", "2026-11-23", "2026-11-29", 7],
    ["last-week", "Europe/London", "2026-11-16", "2026-11-22", 7],
    ["mtd", "Europe/London", "2026-11-01", "2026-11-25", 25],
    ["qtd", "Europe/London", "2026-10-01", "2026-11-25", 56],
    ["30d", "Europe/London", "2026-10-27", "2026-11-25", 30],
    ["90d", "Europe/London", "2026-08-28", "2026-11-25", 90],
    ["  QTD ", "UTC", "2026-10-01", "2026-11-25", 56],
    ["2026-11-01..2026-11-01", "UTC", "2026-11-01", "2026-11-01", 1],
    ["2026-02-01..2026-03-31", "UTC", "2026-02-01", "2026-03-31", 59],
  ])("%s in %s is %s..%s (%i days)", (input, timezone, from, to, days) => {
    expect(parsePeriod(input, { now: NOW, timezone })).toMatchObject({ from, to, days, timezone });
  });

  it("reads 'today' in the time zone: late Sunday in New York is already Monday in Tokyo", () => {
    const now = new Date("2026-11-30T02:00:00Z"); // Sun 21:00 in New York, Mon 11:00 in Tokyo
    expect(parsePeriod("this-week", { now, timezone: "America/New_York" }).from).toBe("2026-11-23");
    expect(parsePeriod("this-week", { now, timezone: "Asia/Tokyo" }).from).toBe("2026-11-30");
  });

  it("bounds the period by local midnights, across a DST change", () => {
    const period = parsePeriod("2026-10-19..2026-10-25", { now: NOW, timezone: "Europe/London" });
    // BST (UTC+1) at the start, GMT after 25 October 01:00 UTC.
    expect(period.start.toISOString()).toBe("2026-10-18T23:00:00.000Z");
    expect(period.end.toISOString()).toBe("2026-10-26T00:00:00.000Z");
  });

  it("takes the first quarter month and a year boundary", () => {
    const january = new Date("2027-01-03T10:00:00Z");
    expect(parsePeriod("qtd", { now: january, timezone: "UTC" })).toMatchObject({
      from: "2027-01-01",
      to: "2027-01-03",
    });
    expect(parsePeriod("last-week", { now: january, timezone: "UTC" })).toMatchObject({
      from: "2026-12-21",
      to: "2026-12-27",
    });
  });

  it.each([
    [
      "yesterday",
      'Unknown period "yesterday": use this-week, last-week, mtd, qtd, 30d, 90d or YYYY-MM-DD..YYYY-MM-DD.',
    ],
    ["", 'Unknown period "": use this-week, last-week, mtd, qtd, 30d, 90d or YYYY-MM-DD..YYYY-MM-DD.'],
    ["2026-11-31..2026-12-05", '"2026-11-31" is not a date: write it YYYY-MM-DD.'],
    ["2026-11-01..26-12-05", '"26-12-05" is not a date: write it YYYY-MM-DD.'],
    ["2026-11-10..2026-11-01", "The period 2026-11-10..2026-11-01 ends before it starts."],
    ["2020-01-01..2026-01-01", "The period 2020-01-01..2026-01-01 is longer than 1098 days."],
  ])("refuses %j naming it", (input, message) => {
    expect(() => parsePeriod(input, { now: NOW, timezone: "UTC" })).toThrow(new PeriodError(message));
  });
});

describe("previousPeriod", () => {
  it.each([
    ["this-week", "2026-11-16", "2026-11-22"],
    ["mtd", "2026-10-07", "2026-10-31"],
    ["30d", "2026-09-27", "2026-10-26"],
    ["2026-11-01..2026-11-01", "2026-10-31", "2026-10-31"],
  ])("before %s comes %s..%s, as long", (input, from, to) => {
    const period = parsePeriod(input, { now: NOW, timezone: "Europe/London" });
    const previous = previousPeriod(period);
    expect(previous).toMatchObject({ from, to, days: period.days, timezone: "Europe/London" });
    expect(previous.end).toEqual(period.start);
  });
});
