/**
 * A scheduled job: what it is called, when it runs (node-cron, in a time zone), and what one run does. Jobs are
 * declared apart from the runner that schedules them, and `run` takes the time it runs at, so tests call it with
 * an injected clock.
 */
export interface JobContext {
  now: Date;
}

export interface Job {
  /** Stable id: it keys the job's runs in the database. */
  id: string;
  /** node-cron expression (six fields for seconds), e.g. `0 9 * * MON`. */
  schedule: string;
  /** IANA time zone the schedule is read in; the server's when absent. */
  timezone?: string;
  /**
   * The slot a run at `now` belongs to (`2026-W48`, `2026-11-25T10:15`). A slot runs once across every replica
   * and restart: the first to claim it runs it. Without it, every replica runs every tick and the job shares its
   * work out itself (e.g. the outbox's row claims).
   */
  slotOf?: (now: Date) => string;
  run(context: JobContext): Promise<void>;
}
