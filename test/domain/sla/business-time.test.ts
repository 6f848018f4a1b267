import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isWithinWorkingHours,
  type WorkingSchedule,
  zonedTimeToUtc,
} from "../../../src/domain/sla/business-time.ts";

const london: WorkingSchedule = {
  timeZone: "Europe/London",
  days: ["mon", "tue", "wed", "thu", "fri"],
  start: "09:00",
  end: "17:30",
};
const newYork: WorkingSchedule = { ...london, timeZone: "America/New_York", start: "09:00", end: "18:00" };

describe("addBusinessMinutes", () => {
  it.each([
    // [start (UTC), minutes, expected (UTC), why]
    ["2026-11-24T10:00:00Z", 30, "2026-11-24T10:30:00Z", "inside hours: plain addition"],
    ["2026-11-24T17:15:00Z", 30, "2026-11-25T09:15:00Z", "spills into the next morning"],
    ["2026-11-27T17:00:00Z", 60, "2026-11-30T09:30:00Z", "Friday evening → Monday"],
    ["2026-11-28T12:00:00Z", 30, "2026-11-30T09:30:00Z", "Saturday counts from Monday's opening"],
    ["2026-11-24T07:00:00Z", 240, "2026-11-24T13:00:00Z", "before opening: starts at 09:00"],
    ["2026-11-24T10:00:00Z", 3 * 510, "2026-11-27T10:00:00Z", "three full working days"],
  ])("from %s plus %i min is %s (%s)", (start, minutes, expected) => {
    expect(addBusinessMinutes(new Date(start), minutes, london).toISOString()).toBe(new Date(expected).toISOString());
  });

  it("uses the schedule's time zone, not UTC", () => {
    // 13:30 UTC is 08:30 in New York (EST, UTC-5): the clock starts at 09:00 local = 14:00 UTC.
    expect(addBusinessMinutes(new Date("2026-11-24T13:30:00Z"), 30, newYork).toISOString()).toBe(
      "2026-11-24T14:30:00.000Z",
    );
  });

  it("keeps local opening hours across a daylight-saving change", () => {
    // London moves to BST on Sunday 2026-03-29: Monday opens at 09:00 BST = 08:00 UTC.
    expect(addBusinessMinutes(new Date("2026-03-27T17:00:00Z"), 60, london).toISOString()).toBe(
      "2026-03-30T08:30:00.000Z",
    );
  });

  it("handles round-the-clock schedules", () => {
    const always: WorkingSchedule = {
      timeZone: "UTC",
      days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      start: "00:00",
      end: "24:00",
    };
    expect(addBusinessMinutes(new Date("2026-11-28T23:50:00Z"), 30, always).toISOString()).toBe(
      "2026-11-29T00:20:00.000Z",
    );
  });
});

describe("businessMinutesBetween", () => {
  it("counts only working minutes", () => {
    expect(businessMinutesBetween(new Date("2026-11-27T17:00:00Z"), new Date("2026-11-30T09:30:00Z"), london)).toBe(60);
    expect(businessMinutesBetween(new Date("2026-11-24T10:00:00Z"), new Date("2026-11-24T09:00:00Z"), london)).toBe(0);
  });

  it("is the inverse of addBusinessMinutes", () => {
    const start = new Date("2026-11-25T16:45:00Z");
    for (const minutes of [1, 45, 300, 1000]) {
      expect(businessMinutesBetween(start, addBusinessMinutes(start, minutes, london), london)).toBe(minutes);
    }
  });
});

describe("working hours", () => {
  it("knows when a schedule is open", () => {
    expect(isWithinWorkingHours(new Date("2026-11-24T09:00:00Z"), london)).toBe(true);
    expect(isWithinWorkingHours(new Date("2026-11-24T17:30:00Z"), london)).toBe(false);
    expect(isWithinWorkingHours(new Date("2026-11-28T12:00:00Z"), london)).toBe(false);
  });

  it("converts local wall time to UTC", () => {
    expect(zonedTimeToUtc({ year: 2026, month: 7, day: 1 }, 9 * 60, "Europe/London").toISOString()).toBe(
      "2026-07-01T08:00:00.000Z",
    );
  });
});
