/**
 * Runs the jobs: node-cron ticks, one run at a time per job in this process, and for slotted jobs one run per slot
 * across every replica sharing the database (claimed in `JobRun`). A failing run is logged and recorded; it never
 * stops the schedule.
 */
import cron, { type ScheduledTask } from "node-cron";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Job } from "./job.ts";
import { claimJobSlot, failJobSlot, finishJobSlot } from "./job-runs.ts";

export type RunOutcome = "ran" | "skipped" | "failed";

export interface JobRunnerOptions {
  prisma: PrismaClient;
  logger: Logger;
  now?: () => Date;
}

export class JobRunner {
  private readonly now: () => Date;
  private readonly tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<RunOutcome>>();

  constructor(private readonly options: JobRunnerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** One run of `job` at `now` (the injected clock by default): claims its slot first when it has slots. */
  async runOnce(job: Job, now = this.now()): Promise<RunOutcome> {
    const { prisma, logger } = this.options;
    const slot = job.slotOf?.(now);
    if (slot !== undefined && !(await claimJobSlot(prisma, job.id, slot, now))) return "skipped";
    try {
      await job.run({ now });
      if (slot !== undefined) await finishJobSlot(prisma, job.id, slot, this.now());
      return "ran";
    } catch (error) {
      logger.error({ err: error, job: job.id, slot }, "job run failed");
      if (slot !== undefined) await failJobSlot(prisma, job.id, slot, error).catch(() => undefined);
      return "failed";
    }
  }

  /** Schedules every job; a tick that comes while the previous run of that job is still going is skipped. */
  start(jobs: Job[]): void {
    for (const job of jobs) {
      let running: Promise<RunOutcome> | undefined;
      const task = cron.schedule(
        job.schedule,
        () => {
          // Our own overlap guard rather than node-cron's, which prints to stdout and would break JSON logs.
          if (running) return;
          running = this.runOnce(job).finally(() => {
            if (running) this.inFlight.delete(running);
            running = undefined;
          });
          this.inFlight.add(running);
        },
        { name: job.id, timezone: job.timezone },
      );
      this.tasks.push(task);
    }
  }

  /** Stops the schedules and waits for runs in progress to end. */
  async stop(): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.stop();
    await Promise.allSettled([...this.inFlight]);
  }
}
