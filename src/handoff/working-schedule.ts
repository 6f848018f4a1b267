import type { WorkingSchedule } from "../domain/sla/business-time.ts";
import type { Rep, Team } from "../generated/prisma/client.ts";

interface StoredHours {
  days: WorkingSchedule["days"];
  start: string;
  end: string;
  holidays?: string[];
}

/** A rep's working schedule: their own hours and time zone where set, else their team's; always the team's holidays. */
export function workingScheduleFor(team: Team, rep?: Rep | null): WorkingSchedule {
  const hours = (rep?.workingHours ?? team.workingHours) as unknown as StoredHours;
  const holidays = (team.workingHours as unknown as StoredHours).holidays ?? [];
  return {
    timeZone: rep?.timezone ?? team.timezone,
    days: hours.days,
    start: hours.start,
    end: hours.end,
    ...(holidays.length > 0 ? { holidays } : {}),
  };
}
