import type { WorkingSchedule } from "../domain/sla/business-time.ts";
import type { Rep, Team } from "../generated/prisma/client.ts";

/** A rep's working schedule: their own hours and time zone where set, else their team's. */
export function workingScheduleFor(team: Team, rep?: Rep | null): WorkingSchedule {
  const hours = (rep?.workingHours ?? team.workingHours) as unknown as {
    days: WorkingSchedule["days"];
    start: string;
    end: string;
  };
  return { timeZone: rep?.timezone ?? team.timezone, days: hours.days, start: hours.start, end: hours.end };
}
