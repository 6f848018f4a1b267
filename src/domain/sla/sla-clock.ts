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

/** An action found later than this after its time is stale: a reminder is dropped, a breach goes into a summary. */
export const STALE_ACTION_MS = 15 * 60_000;

export interface DueClock {
  kind: SlaKind;
  startedAt: Date;
  dueAt: Date;
  remindersSent: number;
}

export type ClockAction =
  /** Send reminder number `index` (0-based) at `fraction`; reminders before it were passed over. */
  | { type: "remind"; index: number; fraction: number; remindersSent: number; nextActionAt: Date }
  /** Every reminder due so far is stale: none is sent, the clock moves on. */
  | { type: "skip"; remindersSent: number; nextActionAt: Date }
  /** The due time has passed; `late` when it passed more than {@link STALE_ACTION_MS} ago (Baton was down). */
  | { type: "breach"; late: boolean };

/**
 * What a clock needs at `now`. Only the latest reminder whose time has come is sent, and only while it is fresh:
 * after downtime a rep gets no run of stale reminders, and a clock past its due time gets its breach, not them.
 */
export function planClockAction(policy: SlaPolicy, clock: DueClock, now: Date, schedule: WorkingSchedule): ClockAction {
  if (clock.dueAt.getTime() <= now.getTime()) {
    return { type: "breach", late: now.getTime() - clock.dueAt.getTime() > STALE_ACTION_MS };
  }
  const fractions = [...policy.remindAt].sort((a, b) => a - b);
  let index = clock.remindersSent;
  let latestDue: { index: number; at: Date } | undefined;
  for (; index < fractions.length; index++) {
    const at = nextActionAt(policy, clock.kind, clock.startedAt, index, schedule);
    if (!at || at.getTime() > now.getTime()) break;
    latestDue = { index, at };
  }
  const following = nextActionAt(policy, clock.kind, clock.startedAt, index, schedule) ?? clock.dueAt;
  const nextAt = following.getTime() < clock.dueAt.getTime() ? following : clock.dueAt;
  if (latestDue && now.getTime() - latestDue.at.getTime() <= STALE_ACTION_MS) {
    return {
      type: "remind",
      index: latestDue.index,
      fraction: fractions[latestDue.index],
      remindersSent: index,
      nextActionAt: nextAt,
    };
  }
  return { type: "skip", remindersSent: index, nextActionAt: nextAt };
}
