/**
 * Job slots in the database: `JobRun` is unique on (job, runKey), so of several replicas asking for one slot
 * exactly one gets it. A slot whose run failed, or whose runner vanished mid-run, can be claimed again.
 */
import type { PrismaClient } from "../generated/prisma/client.ts";

/** How long a run may go without finishing before another replica assumes its runner died. */
export const STALE_RUN_MS = 15 * 60_000;

/** Claims (job, slot) for this runner; false when another has it (running, or done). */
export async function claimJobSlot(prisma: PrismaClient, job: string, slot: string, now: Date): Promise<boolean> {
  const { count } = await prisma.jobRun.createMany({
    data: [{ job, runKey: slot, startedAt: now }],
    skipDuplicates: true,
  });
  if (count === 1) return true;
  // Taking over is a conditional update: of two replicas retrying one failed slot, one wins.
  const retaken = await prisma.jobRun.updateMany({
    where: {
      job,
      runKey: slot,
      finishedAt: null,
      OR: [{ error: { not: null } }, { startedAt: { lt: new Date(now.getTime() - STALE_RUN_MS) } }],
    },
    data: { startedAt: now, error: null },
  });
  return retaken.count === 1;
}

export async function finishJobSlot(prisma: PrismaClient, job: string, slot: string, at: Date): Promise<void> {
  await prisma.jobRun.update({ where: { job_runKey: { job, runKey: slot } }, data: { finishedAt: at, error: null } });
}

/** Records why a run failed; the slot can then be claimed again (by this replica's next tick or another's). */
export async function failJobSlot(prisma: PrismaClient, job: string, slot: string, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await prisma.jobRun.update({
    where: { job_runKey: { job, runKey: slot } },
    data: { error: message.slice(0, 2000) },
  });
}
