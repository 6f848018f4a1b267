/**
 * The SLA sweep's work: every running clock whose next action has come gets it — a reminder at each configured
 * fraction of the allowed time, then the breach (manager, escalation conversation, the owner or a re-offer).
 * Each batch of clocks is locked (SKIP LOCKED), acted on and recorded in one transaction together with the
 * messages it causes, each keyed `sla:<clockId>:<step>`: on any number of replicas, across restarts, every message
 * goes once. Breaches found long after their time (Baton was down) are told as one summary per conversation.
 */
import { createHash } from "node:crypto";
import type { BatonConfig } from "../config/baton-config.ts";
import type { ChatMessage, ConversationId, MessageRef } from "../domain/chat-message.ts";
import { personAndCompany, renderLeadCard } from "../domain/lead-card.ts";
import { type LeadStatus, transition } from "../domain/leads/lifecycle.ts";
import type { WorkingSchedule } from "../domain/sla/business-time.ts";
import { allowedMinutes, planClockAction, resolveSlaPolicy, type SlaPolicy } from "../domain/sla/sla-clock.ts";
import {
  acceptReminder,
  type BreachOutcome,
  catchUpSummary,
  escalationNote,
  firstTouchReminder,
  managerBreachMessage,
  NOT_ACCEPTED_IN_TIME,
  ownerFirstTouchBreach,
  type SlaLeadSubject,
} from "../domain/sla/sla-messages.ts";
import type { Prisma, PrismaClient, SlaClock } from "../generated/prisma/client.ts";
import { directAddress } from "../handoff/handoff-service.ts";
import { type LeadForCard, leadCardView, loadLeadForCard } from "../handoff/lead-card-view.ts";
import { workingScheduleFor } from "../handoff/working-schedule.ts";
import { routeAndOfferLead } from "../intake/offer-lead.ts";
import type { Logger } from "../logger.ts";
import { enqueueOutbox } from "../repositories/outbox.ts";
import { claimDueClocks, findClocksDueForAction, recordClockBreach, recordClockReminders } from "./sla-clocks.ts";

export interface SweepDeps {
  prisma: PrismaClient;
  batonConfig: () => BatonConfig;
  logger: Logger;
  /** Clocks per transaction. */
  batchSize?: number;
}

export interface SweepOutcome {
  reminders: number;
  /** Stale reminders passed over after downtime. */
  skipped: number;
  breaches: number;
  reoffers: number;
  /** Catch-up summaries written (one per conversation per batch). */
  summaries: number;
}

/** A breach found late: its notes wait for the batch's summary of the conversation they were meant for. */
interface LateNote {
  conversation: ConversationId;
  /** A person's DM rather than a channel. */
  direct: boolean;
  clockId: string;
  subject: SlaLeadSubject;
}

type Tx = Prisma.TransactionClient;

/** Acts on every clock due at `now`; a batch that fails is retried clock by clock, so one bad clock blocks none. */
export async function sweepSlaClocks(deps: SweepDeps, now: Date): Promise<SweepOutcome> {
  const outcome: SweepOutcome = { reminders: 0, skipped: 0, breaches: 0, reoffers: 0, summaries: 0 };
  const batchSize = deps.batchSize ?? 50;
  const seen = new Set<string>();
  for (;;) {
    // Read without locks; each batch then locks what is still due. Ids already seen this run (acted on, failed, or
    // held by another replica) are not tried twice.
    const due = (await findClocksDueForAction(deps.prisma, now, 500)).filter((clock) => !seen.has(clock.id));
    if (due.length === 0) return outcome;
    for (let i = 0; i < due.length; i += batchSize) {
      const ids = due.slice(i, i + batchSize).map((clock) => clock.id);
      for (const id of ids) seen.add(id);
      try {
        await runBatch(deps, ids, now, outcome);
      } catch (error) {
        deps.logger.warn({ err: error, clocks: ids.length }, "SLA sweep batch failed; retrying its clocks one by one");
        for (const id of ids) {
          await runBatch(deps, [id], now, outcome).catch((clockError) =>
            deps.logger.error({ err: clockError, clockId: id }, "SLA clock action failed"),
          );
        }
      }
    }
  }
}

async function runBatch(deps: SweepDeps, ids: string[], now: Date, total: SweepOutcome): Promise<void> {
  const config = deps.batonConfig();
  const counted = await deps.prisma.$transaction(
    async (tx) => {
      const batch: SweepOutcome = { reminders: 0, skipped: 0, breaches: 0, reoffers: 0, summaries: 0 };
      const late: LateNote[] = [];
      for (const clock of await claimDueClocks(tx, now, ids)) {
        await actOnClock(tx, { clock, config, now, late, outcome: batch });
      }
      batch.summaries = await enqueueCatchUpSummaries(tx, late);
      return batch;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  for (const key of Object.keys(total) as (keyof SweepOutcome)[]) total[key] += counted[key];
}

interface ClockContext {
  clock: SlaClock;
  config: BatonConfig;
  now: Date;
  late: LateNote[];
  outcome: SweepOutcome;
}

/** The policy the clock was started under; the team's current one if that policy was removed from the config. */
function policyOf(config: BatonConfig, clock: SlaClock, teamId: string | null): SlaPolicy {
  const named = config.sla.policies.find((policy) => policy.id === clock.policy);
  if (named) return named;
  return resolveSlaPolicy(config.sla, config.teams.find((team) => team.id === teamId)?.sla);
}

async function actOnClock(tx: Tx, context: ClockContext): Promise<void> {
  const { clock, config, now, outcome } = context;
  const lead = await loadLeadForCard(tx, clock.leadId);
  const offer = lead?.offers[0];
  const team = clock.kind === "accept" ? (offer?.team ?? lead?.team) : lead?.team;
  if (!lead || !team) {
    // Nothing to remind anyone about: the clock stops asking.
    await tx.slaClock.update({ where: { id: clock.id }, data: { status: "cancelled", nextActionAt: null } });
    return;
  }
  const policy = policyOf(config, clock, team.id);
  const schedule: WorkingSchedule =
    clock.kind === "accept" ? workingScheduleFor(team) : workingScheduleFor(team, lead.owner);
  const subject: SlaLeadSubject = {
    leadId: lead.id,
    who: personAndCompany(lead),
    teamName: team.name,
    kind: clock.kind,
    dueAt: clock.dueAt,
    allowedMinutes: allowedMinutes(policy, clock.kind),
    holder:
      clock.kind === "accept"
        ? offer?.candidateRep
          ? `${team.name} (suggested: ${offer.candidateRep.name})`
          : team.name
        : (lead.owner?.name ?? team.name),
    timeZone: team.timezone,
  };
  const plan = planClockAction(policy, clock, now, schedule);

  if (plan.type === "skip") {
    await recordClockReminders(tx, clock.id, { ...plan, remindedAt: null });
    outcome.skipped += 1;
    return;
  }
  if (plan.type === "remind") {
    await recordClockReminders(tx, clock.id, {
      remindersSent: plan.remindersSent,
      nextActionAt: plan.nextActionAt,
      remindedAt: now,
    });
    const key = `sla:${clock.id}:remind-${plan.index + 1}`;
    if (clock.kind === "accept" && offer?.status === "pending") {
      const threadOf: MessageRef | undefined = offer.messageRef
        ? { conversation: offer.conversation, messageId: offer.messageRef }
        : undefined;
      await enqueueOutbox(tx, {
        idempotencyKey: key,
        conversation: offer.conversation,
        payload: { kind: "post", message: acceptReminder(subject, plan.fraction), ...(threadOf ? { threadOf } : {}) },
        leadId: lead.id,
      });
      outcome.reminders += 1;
    } else if (clock.kind === "first_touch" && lead.owner) {
      const to = directAddress(lead.owner, team);
      if (to) {
        await enqueueOutbox(tx, {
          idempotencyKey: key,
          conversation: to,
          payload: { kind: "direct", message: firstTouchReminder(subject, plan.fraction) },
          leadId: lead.id,
        });
        outcome.reminders += 1;
      }
    }
    return;
  }

  await recordClockBreach(tx, clock, now);
  outcome.breaches += 1;
  await tx.auditLog.create({
    data: {
      actor: "system",
      action: "sla.breached",
      leadId: lead.id,
      details: { clockId: clock.id, kind: clock.kind, dueAt: clock.dueAt.toISOString(), late: plan.late },
    },
  });
  let breachOutcome: BreachOutcome = { kind: "kept" };
  if (clock.kind === "accept" && policy.reassignOnBreach) {
    breachOutcome = await withdrawAndReoffer(tx, context, lead);
    if (breachOutcome.kind === "reoffered") outcome.reoffers += 1;
  }

  const notes: { conversation: ConversationId; step: string; direct: boolean; message: () => ChatMessage }[] = [];
  const managerId = config.teams.find((candidate) => candidate.id === team.id)?.manager;
  const manager = managerId ? await tx.rep.findUnique({ where: { id: managerId } }) : null;
  const managerAddress = manager ? directAddress(manager, team) : undefined;
  if (managerAddress) {
    notes.push({
      conversation: managerAddress,
      step: "manager",
      direct: true,
      message: () => managerBreachMessage(subject, breachOutcome),
    });
  }
  if (policy.escalateTo) {
    notes.push({
      conversation: policy.escalateTo,
      step: "escalation",
      direct: false,
      message: () => escalationNote(subject, breachOutcome),
    });
  }
  const ownerAddress = clock.kind === "first_touch" && lead.owner ? directAddress(lead.owner, team) : undefined;
  if (ownerAddress) {
    notes.push({
      conversation: ownerAddress,
      step: "owner",
      direct: true,
      message: () => ownerFirstTouchBreach(subject),
    });
  }
  for (const note of notes) {
    if (plan.late) {
      context.late.push({ conversation: note.conversation, direct: note.direct, clockId: clock.id, subject });
      continue;
    }
    await enqueueOutbox(tx, {
      idempotencyKey: `sla:${clock.id}:breach:${note.step}`,
      conversation: note.conversation,
      payload: note.direct ? { kind: "direct", message: note.message() } : { kind: "post", message: note.message() },
      leadId: lead.id,
    });
  }
}

/**
 * Nobody accepted in time: the pending offer is withdrawn (its card loses its buttons and says why) and the lead
 * is routed again; the router's round-robin moves on to the next rep, or the next team.
 */
async function withdrawAndReoffer(tx: Tx, context: ClockContext, lead: LeadForCard): Promise<BreachOutcome> {
  const { clock, config, now } = context;
  const offer = lead.offers[0];
  if (offer?.status !== "pending") return { kind: "not_reoffered", why: "the offer was already decided" };
  const offering = transition(lead.status as LeadStatus, "offer", "system");
  if (!offering.allowed) return { kind: "not_reoffered", why: offering.reason };
  // Conditional, like the accept path: an accept that got the offer first wins, and nothing is withdrawn.
  const withdrawn = await tx.offer.updateMany({
    where: { id: offer.id, status: "pending" },
    data: { status: "withdrawn", decidedAt: now },
  });
  if (withdrawn.count === 0) return { kind: "not_reoffered", why: "the offer was already decided" };
  if (offer.messageRef) {
    const view = { ...leadCardView(lead), withdrawn: { reason: NOT_ACCEPTED_IN_TIME } };
    await enqueueOutbox(tx, {
      idempotencyKey: `sla:${clock.id}:breach:withdrawn`,
      conversation: offer.conversation,
      payload: {
        kind: "update",
        ref: { conversation: offer.conversation, messageId: offer.messageRef },
        message: renderLeadCard(view),
      },
      leadId: lead.id,
      offerId: offer.id,
    });
  }
  const attempt = (await tx.routingDecision.count({ where: { leadId: lead.id } })) + 1;
  const reoffered = await routeAndOfferLead(tx, { leadId: lead.id, config, now, attempt });
  await tx.auditLog.create({
    data: {
      actor: "system",
      action: reoffered ? "lead.reoffered" : "lead.offer_withdrawn",
      leadId: lead.id,
      details: { clockId: clock.id, withdrawnOfferId: offer.id, toTeam: reoffered?.teamId ?? null },
    },
  });
  if (!reoffered) return { kind: "not_reoffered", why: "no team can take it now" };
  const newOffer = await tx.offer.findUniqueOrThrow({
    where: { id: reoffered.offerId },
    include: { candidateRep: true },
  });
  return { kind: "reoffered", toTeam: reoffered.teamName, toRep: newOffer.candidateRep?.name ?? null };
}

/** One summary per conversation for the batch's late breaches, keyed by the clocks it covers. */
async function enqueueCatchUpSummaries(tx: Tx, late: LateNote[]): Promise<number> {
  const byConversation = new Map<ConversationId, LateNote[]>();
  for (const note of late)
    byConversation.set(note.conversation, [...(byConversation.get(note.conversation) ?? []), note]);
  for (const [conversation, notes] of byConversation) {
    const clockIds = notes.map((note) => note.clockId).sort();
    const digest = createHash("sha256").update(clockIds.join(",")).digest("hex").slice(0, 16);
    const message = catchUpSummary(notes.map((note) => note.subject));
    const direct = notes[0].direct;
    await enqueueOutbox(tx, {
      idempotencyKey: `sla:catch-up:${conversation}:${digest}`,
      conversation,
      payload: direct ? { kind: "direct", message } : { kind: "post", message },
    });
  }
  return byConversation.size;
}
