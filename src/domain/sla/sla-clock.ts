/**
 * The SLA clock's rules: which policy a team's lead runs under, when a clock falls due, when it next needs action
 * (a reminder at a fraction of the allowed time, or the breach), and whether stopping it meets or breaches it.
 * Plain data; `src/sla/sla-clocks.ts` is the one writer of clocks in the database.
 */
import { addBusinessMinutes, type WorkingSchedule } from "./business-time.ts";

export type SlaKind = "accept" | "first_touch";

export interface SlaPolicy {
  id: string;
  /** Business minutes. */
  acceptWithin: number;
  firstTouchWithin: number;
  /** Fractions of the allowed time at which the holder is reminded, ascending, e.g. [0.5, 0.9]. */
  remindAt: number[];
  escalateTo?: string;
  reassignOnBreach: boolean;
}

export interface SlaPolicies {
  defaultPolicy: string;
  policies: SlaPolicy[];
}

/** The team's own policy when it names one, else the default. */
export function resolveSlaPolicy(sla: SlaPolicies, teamPolicyId: string | undefined): SlaPolicy {
  const id = teamPolicyId ?? sla.defaultPolicy;
  const policy = sla.policies.find((candidate) => candidate.id === id);
  // The configuration schema refuses unknown policy ids, so this only fires on a hand-built config.
  if (!policy) throw new Error(`unknown SLA policy "${id}"`);
  return policy;
}

export function allowedMinutes(policy: SlaPolicy, kind: SlaKind): number {
  return kind === "accept" ? policy.acceptWithin : policy.firstTouchWithin;
}

export interface ClockTimes {
  startedAt: Date;
  dueAt: Date;
  /** The first reminder, or the due time when the policy has none. */
  nextActionAt: Date;
}

/** When a clock started at `startedAt` falls due, and when it first needs action; counted in business time. */
export function clockTimes(policy: SlaPolicy, kind: SlaKind, startedAt: Date, schedule: WorkingSchedule): ClockTimes {
  const minutes = allowedMinutes(policy, kind);
  const dueAt = addBusinessMinutes(startedAt, minutes, schedule);
  return { startedAt, dueAt, nextActionAt: nextActionAt(policy, kind, startedAt, 0, schedule) ?? dueAt };
}

/**
 * The time of reminder number `remindersSent` (0-based), or null when every reminder has gone and only the
 * breach is left.
 */
export function nextActionAt(
  policy: SlaPolicy,
  kind: SlaKind,
  startedAt: Date,
  remindersSent: number,
  schedule: WorkingSchedule,
): Date | null {
  const fraction = [...policy.remindAt].sort((a, b) => a - b)[remindersSent];
  if (fraction === undefined) return null;
  return addBusinessMinutes(startedAt, Math.round(allowedMinutes(policy, kind) * fraction), schedule);
}

export type ClockStop =
  | { status: "met"; stoppedAt: Date; minutesLate: 0 }
  /** Breached at its due time; `minutesLate` is wall-clock time past it, what the person waited. */
  | { status: "breached"; stoppedAt: Date; breachedAt: Date; minutesLate: number };

/** Stopping a clock at `at`: on or before the due time meets it; any later is a breach, however it was recorded. */
export function judgeStop(dueAt: Date, at: Date): ClockStop {
  if (at.getTime() <= dueAt.getTime()) return { status: "met", stoppedAt: at, minutesLate: 0 };
  return {
    status: "breached",
    stoppedAt: at,
    breachedAt: dueAt,
    minutesLate: Math.ceil((at.getTime() - dueAt.getTime()) / 60_000),
  };
}
