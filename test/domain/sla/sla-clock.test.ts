import { describe, expect, it } from "vitest";
import type { WorkingSchedule } from "../../../src/domain/sla/business-time.ts";
import {
  clockTimes,
  judgeStop,
  nextActionAt,
  planClockAction,
  resolveSlaPolicy,
  type SlaPolicy,
} from "../../../src/domain/sla/sla-clock.ts";

const LONDON: WorkingSchedule = {
  timeZone: "Europe/London",
  days: ["mon", "tue", "wed", "thu", "fri"],
  start: "09:00",
  end: "17:00",
};
const STANDARD: SlaPolicy = {
  id: "standard",
  acceptWithin: 30,
  firstTouchWithin: 240,
  remindAt: [0.9, 0.5],
  reassignOnBreach: true,
};
const HOT: SlaPolicy = { ...STANDARD, id: "hot", acceptWithin: 10, remindAt: [] };

describe("judgeStop", () => {
  const due = new Date("2026-11-24T10:30:00Z");

  it("meets a clock stopped on or before its due time", () => {
    expect(judgeStop(due, new Date("2026-11-24T10:29:00Z"))).toEqual({
      status: "met",
      stoppedAt: new Date("2026-11-24T10:29:00Z"),
      minutesLate: 0,
    });
    expect(judgeStop(due, due).status).toBe("met");
  });

  it("breaches a clock stopped after its due time, breached at the due time, with the minutes late rounded up", () => {
    expect(judgeStop(due, new Date("2026-11-24T10:42:10Z"))).toEqual({
      status: "breached",
      stoppedAt: new Date("2026-11-24T10:42:10Z"),
      breachedAt: due,
      minutesLate: 13,
    });
  });
});

describe("clock times", () => {
  it("counts the allowed time in business hours and reminds at each fraction in order", () => {
    // Friday 16:50 London: 10 minutes left that day, the rest on Monday morning.
    const start = new Date("2026-11-27T16:50:00Z");
    expect(clockTimes(STANDARD, "accept", start, LONDON)).toEqual({
      startedAt: start,
      dueAt: new Date("2026-11-30T09:20:00Z"),
      // 50 % of 30 minutes = 15 minutes: Monday 09:05.
      nextActionAt: new Date("2026-11-30T09:05:00Z"),
    });
    // 90 % = 27 minutes: Monday 09:17; then only the breach is left.
    expect(nextActionAt(STANDARD, "accept", start, 1, LONDON)).toEqual(new Date("2026-11-30T09:17:00Z"));
    expect(nextActionAt(STANDARD, "accept", start, 2, LONDON)).toBeNull();
  });

  it("with no reminders the first action is the breach", () => {
    const start = new Date("2026-11-24T10:00:00Z");
    expect(clockTimes(HOT, "accept", start, LONDON)).toEqual({
      startedAt: start,
      dueAt: new Date("2026-11-24T10:10:00Z"),
      nextActionAt: new Date("2026-11-24T10:10:00Z"),
    });
  });

  it("uses the first-touch allowance for first-touch clocks", () => {
    const start = new Date("2026-11-24T10:00:00Z");
    expect(clockTimes(STANDARD, "first_touch", start, LONDON).dueAt).toEqual(new Date("2026-11-24T14:00:00Z"));
  });
});

describe("resolveSlaPolicy", () => {
  const sla = { defaultPolicy: "standard", policies: [STANDARD, HOT] };
  it("takes the team's policy, else the default", () => {
    expect(resolveSlaPolicy(sla, "hot")).toBe(HOT);
    expect(resolveSlaPolicy(sla, undefined)).toBe(STANDARD);
    expect(() => resolveSlaPolicy(sla, "missing")).toThrow('unknown SLA policy "missing"');
  });
});

describe("planClockAction", () => {
  const always: WorkingSchedule = {
    timeZone: "UTC",
    days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    start: "00:00",
    end: "24:00",
  };
  const started = new Date("2027-01-04T10:00:00Z");
  const clock = {
    kind: "accept" as const,
    startedAt: started,
    dueAt: new Date("2027-01-04T10:30:00Z"),
    remindersSent: 0,
  };
  const at = (minutes: number) => new Date(started.getTime() + minutes * 60_000);

  it("sends the reminder whose time has come and names the next action", () => {
    expect(planClockAction(STANDARD, clock, at(15), always)).toEqual({
      type: "remind",
      index: 0,
      fraction: 0.5,
      remindersSent: 1,
      nextActionAt: at(27),
    });
    expect(planClockAction(STANDARD, { ...clock, remindersSent: 1 }, at(27), always)).toEqual({
      type: "remind",
      index: 1,
      fraction: 0.9,
      remindersSent: 2,
      nextActionAt: at(30),
    });
  });

  it("sends only the latest of several due reminders, and none once they are stale", () => {
    expect(planClockAction(STANDARD, clock, at(28), always)).toMatchObject({
      type: "remind",
      index: 1,
      remindersSent: 2,
    });
    const stale = { ...clock, dueAt: at(120) };
    const slow: SlaPolicy = { ...STANDARD, acceptWithin: 120 };
    // Reminders at 60 and 108 minutes; at 100 the first is 40 minutes stale.
    expect(planClockAction(slow, stale, at(100), always)).toEqual({
      type: "skip",
      remindersSent: 1,
      nextActionAt: at(108),
    });
  });

  it("breaches at the due time, late when found more than 15 minutes after it", () => {
    expect(planClockAction(STANDARD, { ...clock, remindersSent: 2 }, at(30), always)).toEqual({
      type: "breach",
      late: false,
    });
    expect(planClockAction(STANDARD, clock, at(45), always)).toEqual({ type: "breach", late: false });
    expect(planClockAction(STANDARD, clock, at(46), always)).toEqual({ type: "breach", late: true });
  });
});
