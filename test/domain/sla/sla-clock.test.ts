import { describe, expect, it } from "vitest";
import type { WorkingSchedule } from "../../../src/domain/sla/business-time.ts";
import {
  clockTimes,
  judgeStop,
  nextActionAt,
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
