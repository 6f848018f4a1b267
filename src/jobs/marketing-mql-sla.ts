/**
 * Marketing's MQL SLA in the marketing channel: a pacing note on Wednesday at noon and the week's result on Monday
 * at 09:00 (for the week before), in the configuration's time zone. Each is posted once per week: the run is slotted
 * by ISO week across replicas, and the message keyed by week in the outbox.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { localParts } from "../domain/sla/business-time.ts";
import { mqlPacingNote, mqlWeekResult } from "../domain/sla/mql-sla-message.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { isoWeekKey, mqlWeek } from "../queries/mql-week.ts";
import { startOfWeek } from "../queries/sla-status.ts";
import { enqueueOutbox } from "../repositories/outbox.ts";
import type { Job } from "./job.ts";

interface Deps {
  prisma: PrismaClient;
  batonConfig: () => BatonConfig;
  onOutbox?: () => void;
}

const WORK_WEEK_MS = 5 * 86_400_000;

function weekOf(at: Date, timeZone: string) {
  const from = startOfWeek(at, timeZone);
  const local = localParts(from, timeZone);
  return { from, key: isoWeekKey(local) };
}

/** `kind` pacing: the current week so far; result: the whole week before `now`'s. */
export function marketingMqlSlaJob(deps: Deps, kind: "pacing" | "result"): Job {
  const timeZone = () => deps.batonConfig().timezone;
  const weekFor = (now: Date) => {
    const current = weekOf(now, timeZone());
    if (kind === "pacing") return { ...current, to: now };
    const previous = weekOf(new Date(current.from.getTime() - 1), timeZone());
    return { ...previous, to: current.from };
  };
  return {
    id: `mql-sla-${kind}`,
    schedule: kind === "pacing" ? "0 0 12 * * WED" : "0 0 9 * * MON",
    timezone: deps.batonConfig().timezone,
    slotOf: (now) => weekFor(now).key,
    async run({ now }) {
      const config = deps.batonConfig();
      const target = config.targets.weeklyMqls;
      const channel = config.marketing?.channel;
      if (target === undefined || !channel) return;
      const week = weekFor(now);
      const figures = await mqlWeek(deps.prisma, {
        week: week.key,
        from: week.from,
        to: week.to,
        target,
        minAcceptanceRate: config.targets.minAcceptanceRate,
      });
      const message =
        kind === "pacing"
          ? mqlPacingNote({ ...figures, elapsed: Math.min(1, (now.getTime() - week.from.getTime()) / WORK_WEEK_MS) })
          : mqlWeekResult(figures);
      const fresh = await enqueueOutbox(deps.prisma, {
        idempotencyKey: `mql-sla:${kind}:${week.key}`,
        conversation: channel,
        payload: { kind: "post", message },
      });
      if (fresh) deps.onOutbox?.();
    },
  };
}
