/**
 * Due times, table-driven: what an SLA clock started at a given moment is due at, across weekends, DST changes,
 * holidays and half-hour time zones. Every due time is written in the team's local time and in UTC.
 */
import { describe, expect, it } from "vitest";
import type { WorkingSchedule } from "../../../src/domain/sla/business-time.ts";
import { clockTimes, type SlaPolicy } from "../../../src/domain/sla/sla-clock.ts";

const WEEKDAYS: WorkingSchedule["days"] = ["mon", "tue", "wed", "thu", "fri"];
const ALL_WEEK: WorkingSchedule["days"] = [...WEEKDAYS, "sat", "sun"];
const office = (timeZone: string, start = "09:00", end = "17:00", holidays?: string[]): WorkingSchedule => ({
  timeZone,
  days: WEEKDAYS,
  start,
  end,
  ...(holidays ? { holidays } : {}),
});
const roundTheClock = (timeZone: string): WorkingSchedule => ({
  timeZone,
  days: ALL_WEEK,
  start: "00:00",
  end: "24:00",
});
const policy = (acceptWithin: number): SlaPolicy => ({
  id: "p",
  acceptWithin,
  firstTouchWithin: 240,
  remindAt: [],
  reassignOnBreach: false,
});

const CASES: { name: string; schedule: WorkingSchedule; minutes: number; startedAt: string; dueAt: string }[] = [
  {
    name: "Friday 17:55 with 30 minutes: 5 on Friday, due at opening + 25 on Monday",
    schedule: office("Europe/London", "09:00", "18:00"),
    minutes: 30,
    startedAt: "2027-01-08T17:55:00Z", // Fri 17:55 GMT
    dueAt: "2027-01-11T09:25:00Z", // Mon 09:25 GMT
  },
  {
    name: "Europe/Berlin spring-forward Sunday, working all day: an hour of real time",
    schedule: roundTheClock("Europe/Berlin"),
    minutes: 60,
    startedAt: "2027-03-28T00:30:00Z", // Sun 01:30 CET
    dueAt: "2027-03-28T01:30:00Z", // Sun 03:30 CEST
  },
  {
    name: "Europe/Berlin over the spring-forward weekend: Monday opens at 09:00 summer time",
    schedule: office("Europe/Berlin"),
    minutes: 30,
    startedAt: "2027-03-26T15:45:00Z", // Fri 16:45 CET
    dueAt: "2027-03-29T07:15:00Z", // Mon 09:15 CEST
  },
  {
    name: "Europe/Berlin fall-back Sunday, working all day: two hours of real time",
    schedule: roundTheClock("Europe/Berlin"),
    minutes: 120,
    startedAt: "2027-10-30T23:30:00Z", // Sun 01:30 CEST
    dueAt: "2027-10-31T01:30:00Z", // Sun 02:30 CET, the second 02:30 of the night
  },
  {
    name: "Europe/Berlin over the fall-back weekend: Monday opens at 09:00 winter time",
    schedule: office("Europe/Berlin"),
    minutes: 30,
    startedAt: "2027-10-29T14:45:00Z", // Fri 16:45 CEST
    dueAt: "2027-11-01T08:15:00Z", // Mon 09:15 CET
  },
  {
    name: "America/New_York spring-forward Sunday, working all day",
    schedule: roundTheClock("America/New_York"),
    minutes: 60,
    startedAt: "2027-03-14T06:30:00Z", // Sun 01:30 EST
    dueAt: "2027-03-14T07:30:00Z", // Sun 03:30 EDT
  },
  {
    name: "America/New_York over the spring-forward weekend",
    schedule: office("America/New_York"),
    minutes: 30,
    startedAt: "2027-03-12T21:45:00Z", // Fri 16:45 EST
    dueAt: "2027-03-15T13:15:00Z", // Mon 09:15 EDT
  },
  {
    name: "America/New_York fall-back Sunday, working all day",
    schedule: roundTheClock("America/New_York"),
    minutes: 60,
    startedAt: "2027-11-07T05:30:00Z", // Sun 01:30 EDT
    dueAt: "2027-11-07T06:30:00Z", // Sun 01:30 EST, the second 01:30 of the night
  },
  {
    name: "America/New_York over the fall-back weekend",
    schedule: office("America/New_York"),
    minutes: 30,
    startedAt: "2027-11-05T20:45:00Z", // Fri 16:45 EDT
    dueAt: "2027-11-08T14:15:00Z", // Mon 09:15 EST
  },
  {
    name: "a holiday on a Monday: the clock waits until Tuesday",
    schedule: office("Europe/London", "09:00", "17:00", ["2027-05-03"]),
    minutes: 30,
    startedAt: "2027-04-30T15:45:00Z", // Fri 16:45 BST
    dueAt: "2027-05-04T08:15:00Z", // Tue 09:15 BST
  },
  {
    name: "a holiday Monday started on the holiday itself: nothing counts until Tuesday opens",
    schedule: office("Europe/London", "09:00", "17:00", ["2027-05-03"]),
    minutes: 30,
    startedAt: "2027-05-03T10:00:00Z", // Mon 11:00 BST, a holiday
    dueAt: "2027-05-04T08:30:00Z", // Tue 09:30 BST
  },
  {
    name: "Asia/Kolkata (UTC+05:30): 20 minutes on Tuesday evening, 10 on Wednesday morning",
    schedule: office("Asia/Kolkata", "09:30", "18:30"),
    minutes: 30,
    startedAt: "2027-01-05T12:40:00Z", // Tue 18:10 IST
    dueAt: "2027-01-06T04:10:00Z", // Wed 09:40 IST
  },
  {
    name: "a lead on a holiday eve: Christmas and the Boxing Day substitute skipped, due Tuesday",
    schedule: office("Europe/London", "09:00", "17:00", ["2026-12-25", "2026-12-28"]),
    minutes: 30,
    startedAt: "2026-12-24T16:50:00Z", // Thu 16:50 GMT
    dueAt: "2026-12-29T09:20:00Z", // Tue 09:20 GMT
  },
  {
    name: "the same eve without holidays configured: due on Christmas Day",
    schedule: office("Europe/London"),
    minutes: 30,
    startedAt: "2026-12-24T16:50:00Z",
    dueAt: "2026-12-25T09:20:00Z",
  },
];

describe("SLA due times", () => {
  it.each(CASES)("$name", ({ schedule, minutes, startedAt, dueAt }) => {
    const times = clockTimes(policy(minutes), "accept", new Date(startedAt), schedule);
    expect(times.dueAt.toISOString()).toBe(new Date(dueAt).toISOString());
  });
});
