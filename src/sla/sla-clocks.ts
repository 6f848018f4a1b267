/**
 * The SLA clocks in the database. Intake, re-routes and the accept start clocks from `slaClockRow` (written with the
 * rest of what they write); the handoff and the CRM webhook stop or cancel them here, and the sweep asks which
 * clocks need action now.
 * The rules themselves (due times, met or breached) are in `src/domain/sla/sla-clock.ts`.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import type { WorkingSchedule } from "../domain/sla/business-time.ts";
import {
  type ClockStop,
  clockTimes,
  judgeStop,
  resolveSlaPolicy,
  type SlaKind,
  type SlaPolicy,
} from "../domain/sla/sla-clock.ts";
import type { Prisma, SlaClock } from "../generated/prisma/client.ts";
import type { Db } from "../repositories/outbox.ts";

/** The policy a team's leads run under (the team's own, else the default), resolved once per clock start. */
export function slaPolicyForTeam(config: BatonConfig, teamId: string): SlaPolicy {
  return resolveSlaPolicy(config.sla, config.teams.find((team) => team.id === teamId)?.sla);
}

export interface StartClockInput {
  leadId: string;
  kind: SlaKind;
  policy: SlaPolicy;
  /** Business hours the clock counts in: the team's, or the owner's own. */
  schedule: WorkingSchedule;
  at: Date;
}

/** The row of a clock started at `input.at`: its policy, start, due time and first reminder. */
export function slaClockRow(input: StartClockInput) {
  const times = clockTimes(input.policy, input.kind, input.at, input.schedule);
  return { leadId: input.leadId, kind: input.kind, policy: input.policy.id, ...times };
}

/** Which clocks a stop may end: running ones, and those the sweep marked breached that still wait for the step. */
export const STOPPABLE_CLOCK = { status: { in: ["running" as const, "breached" as const] }, stoppedAt: null };

/**
 * The step the clock waited for happened at `at`: what to write on the clock (met, or breached with how late,
 * judged against its due time). A clock the sweep already marked breached keeps that and records when it was
 * finally answered.
 */
export function clockStopOf(clock: Pick<SlaClock, "dueAt" | "breachedAt">, at: Date) {
  const stop = judgeStop(clock.dueAt, at);
  const row =
    stop.status === "met"
      ? { status: "met" as const, metAt: stop.stoppedAt, stoppedAt: stop.stoppedAt, minutesLate: 0, nextActionAt: null }
      : {
          status: "breached" as const,
          breachedAt: clock.breachedAt ?? stop.breachedAt,
          stoppedAt: stop.stoppedAt,
          minutesLate: stop.minutesLate,
          nextActionAt: null,
        };
  return { stop, row };
}

/**
 * Stops the lead's waiting clock of `kind` at `at` (see {@link clockStopOf}). Returns null when no clock of that
 * kind was waiting.
 */
export async function stopSlaClock(
  db: Db,
  input: { leadId: string; kind: SlaKind; at: Date },
): Promise<(ClockStop & { clockId: string; dueAt: Date }) | null> {
  const clock = await db.slaClock.findFirst({
    where: { leadId: input.leadId, kind: input.kind, ...STOPPABLE_CLOCK },
    orderBy: { startedAt: "desc" },
  });
  if (!clock) return null;
  const { stop, row } = clockStopOf(clock, input.at);
  await db.slaClock.update({ where: { id: clock.id }, data: row });
  return { ...stop, clockId: clock.id, dueAt: clock.dueAt };
}

/** The lead left the path the clocks measured (rejected, disqualified, re-offered): running clocks stop counting. */
export async function cancelSlaClocks(db: Db, input: { leadId: string; kinds?: SlaKind[] }): Promise<number> {
  const { count } = await db.slaClock.updateMany({
    where: { leadId: input.leadId, status: "running", ...(input.kinds ? { kind: { in: input.kinds } } : {}) },
    data: { status: "cancelled", nextActionAt: null },
  });
  return count;
}

/** Running clocks whose next reminder or breach is due at `at`, oldest first: the sweep's work list. */
export function findClocksDueForAction(db: Db, at: Date, limit = 100): Promise<SlaClock[]> {
  return db.slaClock.findMany({
    where: { status: "running", nextActionAt: { lte: at } },
    orderBy: { nextActionAt: "asc" },
    take: limit,
  });
}

/**
 * Locks those of `ids` still running and due for action at `at` to the caller's transaction. SKIP LOCKED:
 * a second sweep (another replica) passes over the clocks this one holds and takes the next ones, so no clock is
 * acted on twice; the locks end with the transaction that records what was done.
 */
export async function claimDueClocks(tx: Prisma.TransactionClient, at: Date, ids: string[]): Promise<SlaClock[]> {
  if (ids.length === 0) return [];
  // Still due is re-checked under the lock: a clock another sweep acted on meanwhile has moved on or stopped.
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "SlaClock"
    WHERE id = ANY(${ids}::uuid[]) AND status = 'running'::"SlaStatus" AND "nextActionAt" <= ${at}
    ORDER BY "nextActionAt", id
    FOR UPDATE SKIP LOCKED`;
  if (rows.length === 0) return [];
  return tx.slaClock.findMany({
    where: { id: { in: rows.map((row) => row.id) } },
    orderBy: [{ nextActionAt: "asc" }, { id: "asc" }],
  });
}

/** A reminder went out (`remindedAt`), or stale ones were passed over (null): the clock waits for its next action. */
export async function recordClockReminders(
  db: Db,
  clockId: string,
  input: { remindersSent: number; nextActionAt: Date; remindedAt: Date | null },
): Promise<void> {
  await db.slaClock.update({
    where: { id: clockId },
    data: {
      remindersSent: input.remindersSent,
      nextActionAt: input.nextActionAt,
      ...(input.remindedAt ? { lastRemindedAt: input.remindedAt } : {}),
    },
  });
}

/**
 * The clock passed its due time unanswered: breached at the due time, escalated at `at`. It stays open for the
 * step it waited for (`stoppedAt` is set when that finally happens), but needs no more action.
 */
export async function recordClockBreach(db: Db, clock: SlaClock, at: Date): Promise<void> {
  await db.slaClock.update({
    where: { id: clock.id },
    data: { status: "breached", breachedAt: clock.dueAt, escalatedAt: at, nextActionAt: null },
  });
}
