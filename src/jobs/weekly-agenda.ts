/**
 * The weekly agenda of one scope (the joint meeting, or a team), posted at its cron schedule in its time zone. The
 * run is slotted by the agenda's week across replicas (JobRun), and the week's `WeeklyAgenda` row is unique, so it
 * is posted once however many replicas and restarts there are. `catchUp` runs at start-up: an agenda whose time
 * passed this week while Baton was down is posted then, saying it is late.
 */
import { createTask } from "node-cron";
import type { PostedAgenda } from "../agenda/agenda-targets.ts";
import { type PostAgendaDeps, postWeeklyAgenda } from "../agenda/post-weekly-agenda.ts";
import { agendaWeeks } from "../domain/agenda/agenda-week.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Job } from "./job.ts";

/** A run this long after its time (a catch-up, not the cron tick) says it is late. */
const LATE_AFTER_MS = 5 * 60_000;

/** The last time the schedule fired at or before `now` within the agenda's week (Monday 00:00 on), if any. */
export function lastFireThisWeek(target: PostedAgenda, now: Date): Date | null {
  const weekStart = agendaWeeks(now, target.timezone).thisWeek.start.getTime();
  const task = createTask(target.schedule, () => undefined, { timezone: target.timezone });
  try {
    const minute = 60_000;
    for (let at = Math.floor(now.getTime() / minute) * minute; at >= weekStart; at -= minute) {
      if (task.match(new Date(at))) return new Date(at);
    }
    return null;
  } finally {
    void task.destroy();
  }
}

/**
 * At start-up: runs each agenda whose time passed this week (more than a few minutes ago) while Baton was down. Only
 * when Baton already ran before that time (a job run is recorded earlier): a new install does not post late.
 */
export async function catchUpAgendas<J extends { catchUpRun: (now: Date) => Date | null }>(
  prisma: PrismaClient,
  agendas: J[],
  now: Date,
  run: (agenda: J) => Promise<unknown>,
): Promise<void> {
  for (const agenda of agendas) {
    const fired = agenda.catchUpRun(now);
    if (!fired) continue;
    const ranBefore = await prisma.jobRun.findFirst({ where: { startedAt: { lt: fired } }, select: { id: true } });
    if (ranBefore) await run(agenda);
  }
}

/**
 * Every 10 minutes, the same catch-up as at start-up: an agenda whose run failed at its time (the database was away)
 * is posted late rather than a week later. Cheap when there is nothing to do: the slot is already finished.
 */
export function weeklyAgendaCatchUpJob<J extends Job & { catchUpRun: (now: Date) => Date | null }>(
  prisma: PrismaClient,
  agendas: () => J[],
  runOnce: (agenda: J, now: Date) => Promise<unknown>,
): Job {
  return {
    id: "weekly-agenda-catch-up",
    schedule: "30 */10 * * * *",
    async run({ now }) {
      await catchUpAgendas(prisma, agendas(), now, (agenda) => runOnce(agenda, now));
    },
  };
}

export function weeklyAgendaJob(
  deps: PostAgendaDeps,
  target: PostedAgenda,
): Job & { catchUpRun: (now: Date) => Date | null } {
  const weekOf = (now: Date) => agendaWeeks(now, target.timezone).weekStart;
  return {
    id: `weekly-agenda:${target.scope}`,
    schedule: target.schedule,
    timezone: target.timezone,
    slotOf: (now) => `${target.scope}:${weekOf(now)}`,
    /** This week's post time when it passed more than a few minutes ago (a run now is a late one); else null. */
    catchUpRun: (now) => {
      const fired = lastFireThisWeek(target, now);
      return fired !== null && now.getTime() - fired.getTime() > LATE_AFTER_MS ? fired : null;
    },
    async run({ now }) {
      const fired = lastFireThisWeek(target, now);
      // A run before this week's time (a catch-up at start-up on Sunday) waits for the schedule.
      if (!fired) return;
      await postWeeklyAgenda(deps, target, {
        weekStart: weekOf(now),
        now,
        late: now.getTime() - fired.getTime() > 5 * 60_000,
      });
    },
  };
}
