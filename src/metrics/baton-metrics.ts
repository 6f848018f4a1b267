/**
 * Baton's Prometheus metrics (`GET /metrics`). One registry per Baton, not prom-client's global one, so that
 * several Batons in one process (tests) keep their own counts. Label values come from Baton, never from a
 * request's free text, except the MQL `source`, which only signed senders can set.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { HandoffService } from "../handoff/handoff-types.ts";
import type { DeliveryOutcome } from "../outbox/outbox-worker.ts";

/** What became of a request to an intake webhook, from its HTTP status. */
export type IntakeOutcome =
  | "created"
  | "duplicate"
  | "applied"
  | "invalid"
  | "unauthorized"
  | "conflict"
  | "not_found"
  | "unavailable"
  | "error";

export class BatonMetrics {
  readonly registry = new Registry();
  private readonly mqls = new Counter({
    name: "baton_mqls_received_total",
    help: "MQLs and CRM events received on the intake webhooks, by source and outcome.",
    labelNames: ["route", "source", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly intakeSeconds = new Histogram({
    name: "baton_intake_duration_seconds",
    help: "Time from a webhook request's arrival to Baton's answer.",
    labelNames: ["route"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: "baton_outbox_deliveries_total",
    help: "Outbox delivery attempts by platform and outcome: sent, recovered (an earlier attempt had posted it: found, not posted again), retry (will try again), rate-limited, failed (dead letter).",
    labelNames: ["platform", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly jobRuns = new Counter({
    name: "baton_job_runs_total",
    help: "Scheduled job runs by job and outcome (ok, failed).",
    labelNames: ["job", "outcome"] as const,
    registers: [this.registry],
  });

  private readonly slaActions = new Counter({
    name: "baton_sla_actions_total",
    help: "What the SLA sweep did: reminders sent, breaches recorded (manager and escalation told), leads re-offered after an accept breach, stale reminders skipped after downtime.",
    labelNames: ["action"] as const,
    registers: [this.registry],
  });

  private readonly decisions = new Counter({
    name: "baton_handoff_decisions_total",
    help: "Accept and Reject clicks by outcome: accepted, rejected, already_decided (someone was first), refused (not in the team), not_found, invalid (a reject without a valid reason), from every platform.",
    labelNames: ["decision", "outcome"] as const,
    registers: [this.registry],
  });

  constructor(prisma: PrismaClient) {
    collectDefaultMetrics({ register: this.registry, prefix: "baton_" });
    new Gauge({
      name: "baton_outbox_messages",
      help: "Outbox messages waiting (pending) and given up on (failed: dead letters), read from the database.",
      labelNames: ["status"] as const,
      registers: [this.registry],
      async collect() {
        const counts = await prisma.outboxMessage.groupBy({
          by: ["status"],
          where: { status: { in: ["pending", "failed"] } },
          _count: { _all: true },
        });
        this.reset();
        for (const status of ["pending", "failed"] as const) {
          this.set({ status }, counts.find((row) => row.status === status)?._count._all ?? 0);
        }
      },
    });
    new Gauge({
      name: "baton_outbox_oldest_due_seconds",
      help: "How long the oldest pending outbox message has been due without going out (0: nothing waiting): a stuck queue shows here before anyone complains.",
      registers: [this.registry],
      async collect() {
        const now = new Date();
        const oldest = await prisma.outboxMessage.findFirst({
          where: { status: "pending", nextAttemptAt: { lte: now } },
          orderBy: { nextAttemptAt: "asc" },
          select: { nextAttemptAt: true },
        });
        this.set(oldest ? Math.max(0, (now.getTime() - oldest.nextAttemptAt.getTime()) / 1000) : 0);
      },
    });
  }

  intakeAnswered(
    route: string,
    source: string,
    status: number,
    seconds: number,
    created?: "created" | "duplicate" | "applied",
  ) {
    this.mqls.inc({ route, source, outcome: created ?? outcomeOf(status) });
    this.intakeSeconds.observe({ route }, seconds);
  }

  delivered(platform: string, outcome: DeliveryOutcome) {
    this.deliveries.inc({ platform, outcome });
  }

  /** One SLA sweep's outcome; every action is exported, zeros included, so that rate() has a series from the start. */
  slaSwept(outcome: { reminders: number; breaches: number; reoffers: number; skipped: number }) {
    this.slaActions.inc({ action: "reminder" }, outcome.reminders);
    this.slaActions.inc({ action: "breach" }, outcome.breaches);
    this.slaActions.inc({ action: "reoffer" }, outcome.reoffers);
    this.slaActions.inc({ action: "skipped_reminder" }, outcome.skipped);
  }

  /** The handoff, counting each accept's and reject's outcome. */
  countDecisions(handoff: HandoffService): HandoffService {
    const decisions = this.decisions;
    return {
      ...handoff,
      async acceptLead(...args) {
        const result = await handoff.acceptLead(...args);
        decisions.inc({ decision: "accept", outcome: result.outcome });
        return result;
      },
      async rejectLead(...args) {
        const result = await handoff.rejectLead(...args);
        decisions.inc({ decision: "reject", outcome: result.outcome });
        return result;
      },
    };
  }

  jobRan(job: string, outcome: "ok" | "failed") {
    this.jobRuns.inc({ job, outcome });
  }
}

function outcomeOf(status: number): IntakeOutcome {
  if (status === 400 || status === 413 || status === 415) return "invalid";
  if (status === 401) return "unauthorized";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 503) return "unavailable";
  return "error";
}
