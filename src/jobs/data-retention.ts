/**
 * Retention (`privacy.retentionDays`): every day at 03:30 (the configuration's time zone), leads received more
 * than that many days ago are anonymised as `forget` does (src/privacy/forget-person.ts), keeping what KPIs count:
 * the lead rows, their status, team, owner, dates, source, campaign, reasons and deals. Their names also go from
 * the agendas and action items older than the period. One run per day across
 * replicas (slotted by date); a run works in batches, each its own transaction, so a failure keeps what was done
 * and the next day carries on.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { anonymiseLeads } from "../privacy/forget-person.ts";
import type { Job } from "./job.ts";

interface Deps {
  prisma: PrismaClient;
  batonConfig: () => BatonConfig;
  logger: Logger;
  onOutbox?: () => void;
  /** Leads per transaction. */
  batchSize?: number;
}

/** The marker `anonymiseLeads` leaves in place of the address: such a lead is done. */
const ERASED_DOMAIN = "@erased.invalid";
const DAY_MS = 86_400_000;

/** Anonymises the leads received before `now − retentionDays`; returns how many. */
export async function applyRetention(deps: Deps, now: Date): Promise<number> {
  const days = deps.batonConfig().privacy.retentionDays;
  if (days === undefined) return 0;
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const batchSize = deps.batchSize ?? 100;
  let total = 0;
  for (;;) {
    const done = await deps.prisma.$transaction(
      async (tx) => {
        const leads = await tx.lead.findMany({
          where: { receivedAt: { lt: cutoff }, NOT: { email: { endsWith: ERASED_DOMAIN } } },
          orderBy: { receivedAt: "asc" },
          take: batchSize,
        });
        if (leads.length === 0) return 0;
        await anonymiseLeads(tx, leads, {
          everywhere: false,
          historyBefore: cutoff,
          now: () => now,
          action: "leads.retention_anonymised",
        });
        return leads.length;
      },
      { timeout: 60_000 },
    );
    total += done;
    if (done < batchSize) break;
  }
  if (total > 0) {
    deps.logger.info({ leads: total, retentionDays: days }, "leads past the retention period anonymised");
    deps.onOutbox?.();
  }
  return total;
}

export function dataRetentionJob(deps: Deps): Job {
  return {
    id: "data-retention",
    schedule: "0 30 3 * * *",
    timezone: deps.batonConfig().timezone,
    slotOf: (now) => now.toISOString().slice(0, 10),
    async run({ now }) {
      await applyRetention(deps, now);
    },
  };
}
