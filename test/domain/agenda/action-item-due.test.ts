import { describe, expect, it } from "vitest";
import { dueWordsAt, formatDueDate, resolveDueDate } from "../../../src/domain/agenda/action-item-due.ts";

// A Wednesday evening in London.
const NOW = new Date("2026-11-25T21:30:00Z");
const LONDON = { now: NOW, timeZone: "Europe/London" };

describe("action item due dates", () => {
  it.each([
    ["today", "2026-11-25", "2026-11-25T23:59:59.999Z"],
    ["Tomorrow", "2026-11-26", "2026-11-26T23:59:59.999Z"],
    ["thursday", "2026-11-26", "2026-11-26T23:59:59.999Z"],
    ["fri", "2026-11-27", "2026-11-27T23:59:59.999Z"],
    ["Friday", "2026-11-27", "2026-11-27T23:59:59.999Z"],
    ["monday", "2026-11-30", "2026-11-30T23:59:59.999Z"],
    // Today's own weekday is the next one, a week on: "today" says today.
    ["wednesday", "2026-12-02", "2026-12-02T23:59:59.999Z"],
    ["next week", "2026-12-02", "2026-12-02T23:59:59.999Z"],
    ["next-week", "2026-12-02", "2026-12-02T23:59:59.999Z"],
    ["2026-12-24", "2026-12-24", "2026-12-24T23:59:59.999Z"],
    ["2026-11-25", "2026-11-25", "2026-11-25T23:59:59.999Z"],
  ])("%j on Wed 25 Nov 2026 in London is due by the end of %s", (phrase, day, dueAt) => {
    expect(resolveDueDate(phrase, LONDON)).toEqual({ ok: true, day, dueAt: new Date(dueAt) });
  });

  it("reads the day in the agenda's time zone, not the server's", () => {
    // 23:30 UTC on Wednesday is already Thursday lunchtime in Auckland.
    expect(resolveDueDate("today", { now: new Date("2026-11-25T23:30:00Z"), timeZone: "Pacific/Auckland" })).toEqual({
      ok: true,
      day: "2026-11-26",
      dueAt: new Date("2026-11-26T10:59:59.999Z"),
    });
    // 05:00 UTC on Thursday is still Wednesday evening in Los Angeles.
    expect(
      resolveDueDate("tomorrow", { now: new Date("2026-11-26T05:00:00Z"), timeZone: "America/Los_Angeles" }),
    ).toEqual({ ok: true, day: "2026-11-26", dueAt: new Date("2026-11-27T07:59:59.999Z") });
  });

  it("ends a day on which the clocks change at that day's own local midnight", () => {
    // British Summer Time starts on Sunday 28 March 2027: that day ends at 23:00 UTC.
    expect(resolveDueDate("tomorrow", { now: new Date("2027-03-27T12:00:00Z"), timeZone: "Europe/London" })).toEqual({
      ok: true,
      day: "2027-03-28",
      dueAt: new Date("2027-03-28T22:59:59.999Z"),
    });
  });

  it.each([
    ["2026-11-24", "2026-11-24 is in the past."],
    ["2026-02-30", "There is no day 2026-02-30."],
    ["2028-01-04", "2028-01-04 is more than a year away: check the year."],
    ["someday", '"someday" is not a due date: use YYYY-MM-DD, today, tomorrow'],
  ])("%j is refused: %s", (phrase, error) => {
    const due = resolveDueDate(phrase, LONDON);
    expect(due.ok).toBe(false);
    if (!due.ok) expect(due.error).toContain(error);
  });

  it("knows which words spell a due date, `next week` as two", () => {
    const words = ["Ada", "next", "week", "friday", "2026-12-01", "next", "emea-sales", "2026-1-1"];
    expect(words.map((_, index) => dueWordsAt(words, index))).toEqual([0, 2, 0, 1, 1, 0, 0, 0]);
  });

  it("shows a due date as its day in the agenda's time zone", () => {
    expect(formatDueDate(new Date("2026-11-27T23:59:59.999Z"), "Europe/London")).toBe("Fri 27 Nov 2026");
    expect(formatDueDate(new Date("2026-11-27T07:59:59.999Z"), "America/Los_Angeles")).toBe("Thu 26 Nov 2026");
  });
});
