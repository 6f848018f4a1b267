import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  isWithinWorkingHours,
  localParts,
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

describe("localParts (offsets cached per quarter hour)", () => {
  // Zones with DST, half-hour and 45-minute offsets, a 30-minute DST shift (Lord Howe), and one whose offset was
  // not a whole minute until 1972 (Monrovia, -0:44:30): each reading must be the one Intl gives.
  const zones = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Africa/Monrovia",
  ];
  const intlReading = (at: Date, timeZone: string) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        weekday: "short",
      })
        .formatToParts(at)
        .map((part) => [part.type, part.value]),
    );
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour),
      minute: Number(parts.minute),
      second: Number(parts.second),
      weekday: parts.weekday.toLowerCase(),
    };
  };

  it("reads every instant as Intl does, across transitions (1970–2040)", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2040-12-31T23:59:59Z"), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (at, zone) => {
          expect(localParts(at, zone)).toEqual(intlReading(at, zone));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("reads the seconds around transitions (2026, and Monrovia's odd offset ending in 1972) as Intl does", () => {
    const transitions = [
      ["Europe/London", "2026-03-29T01:00:00Z"],
      ["Europe/London", "2026-10-25T01:00:00Z"],
      ["America/New_York", "2026-03-08T07:00:00Z"],
      ["Australia/Lord_Howe", "2026-04-04T15:00:00Z"],
      ["Pacific/Chatham", "2026-04-04T14:00:00Z"],
      ["Africa/Monrovia", "1972-01-07T00:44:30Z"],
    ] as const;
    for (const [zone, iso] of transitions) {
      for (let second = -120; second <= 120; second++) {
        const at = new Date(new Date(iso).getTime() + second * 1000);
        expect(localParts(at, zone), `${zone} ${at.toISOString()}`).toEqual(intlReading(at, zone));
      }
    }
  });
});
