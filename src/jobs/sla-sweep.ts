/**
 * The SLA sweep, every minute. Every replica runs it: clocks are locked batch by batch (SKIP LOCKED), so two
 * replicas share the work instead of needing a slot, and a clock's messages are keyed so none goes twice.
 */
import { type SweepDeps, type SweepOutcome, sweepSlaClocks } from "../sla/sweep-sla-clocks.ts";
import type { Job } from "./job.ts";

export function slaSweepJob(
  deps: SweepDeps & { onOutbox?: () => void; onSwept?: (outcome: SweepOutcome) => void },
): Job {
  return {
    id: "sla-sweep",
    schedule: "0 * * * * *",
    async run({ now }) {
      const outcome = await sweepSlaClocks(deps, now);
      deps.onSwept?.(outcome);
      if (outcome.reminders + outcome.breaches + outcome.summaries > 0) {
        deps.logger.info({ ...outcome }, "SLA sweep acted");
        deps.onOutbox?.();
      }
    },
  };
}
