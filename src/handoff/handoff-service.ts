/**
 * The handoff: a rep accepts or rejects an offered lead, then logs its next steps. One implementation for every
 * chat platform. Each decision is one transaction that also writes its audit entry, its SLA clocks and the
 * messages it causes (card update, DM, feedback to marketing) to the outbox, so nothing is half-done.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { type ConversationId, localIdOf, platformOf } from "../domain/chat-message.ts";
import {
  acceptedDirectMessage,
  alreadyDecidedReply,
  leadNotFoundReply,
  notInTeamReply,
  notOwnerReply,
  rejectionFeedback,
  UNREADABLE_TEXT,
} from "../domain/handoff/handoff-messages.ts";
import { REJECT_REASONS } from "../domain/lead-card.ts";
import { readDealOutcome } from "../domain/leads/deal-outcome.ts";
import { isLeadId } from "../domain/leads/lead-id.ts";
import { type LeadEvent, type LeadStatus, transition } from "../domain/leads/lifecycle.ts";
import { unstorableTextReason } from "../domain/storable-input.ts";
import type { Prisma, PrismaClient, Rep, Team } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { currentLeadCard } from "../queries/current-lead-card.ts";
import { writeAcceptBatch } from "../repositories/accept-batch.ts";
import { type Db, enqueueOutbox } from "../repositories/outbox.ts";
import { newId, type OutboxRow } from "../repositories/sql-batch.ts";
import {
  cancelSlaClocks,
  clockStopOf,
  STOPPABLE_CLOCK,
  slaClockRow,
  slaPolicyForTeam,
  stopSlaClock,
} from "../sla/sla-clocks.ts";
import { applyFunnelEvent } from "./apply-funnel-event.ts";
import type {
  AcceptResult,
  DealOutcomeCheck,
  DealOutcomeResult,
  HandoffService,
  LeadStep,
  RejectInput,
  RejectResult,
  StepResult,
} from "./handoff-types.ts";
import {
  cardUpdateOf,
  enqueueCardUpdate,
  LEAD_CARD_INCLUDE,
  type LeadForCard,
  loadLeadForCard,
  renderLeadForCard as render,
} from "./lead-card-view.ts";
import { workingScheduleFor } from "./working-schedule.ts";

/** Sends a rejected lead on to another team (intake's router); returns the new team's name. */
export type RerouteLead = (
  tx: Prisma.TransactionClient,
  input: { leadId: string; config: BatonConfig; now: Date; excludeTeamIds: string[]; attempt: number },
) => Promise<{ teamName: string; teamId: string } | null>;

/** The lifecycle event behind each next step on the card. */
const STEP_EVENT: Record<LeadStep, LeadEvent> = { first_touch: "first_touch", sql: "sql", disqualified: "disqualify" };

const plain = (text: string) => ({ text, blocks: [{ type: "text" as const, text }] });

export interface HandoffServiceDeps {
  prisma: PrismaClient;
  batonConfig: () => BatonConfig;
  logger: Logger;
  now?: () => Date;
  reroute?: RerouteLead;
  /** Called after a decision committed messages to the outbox, to deliver them now. */
  onOutbox?: () => void;
}

const MAX_COMMENT = 2000;

/** What an accept reads: the card's lead, and the accept clock it stops (judged against its due time). */
const LEAD_ACCEPT_INCLUDE = {
  ...LEAD_CARD_INCLUDE,
  slaClocks: { where: { kind: "accept", ...STOPPABLE_CLOCK }, orderBy: { startedAt: "desc" }, take: 1 },
} satisfies Prisma.LeadInclude;

/** The rep behind a platform user: Slack user id, Teams AAD object id, or (local mode) the rep id. */
export async function findRepForUser(db: Db, user: ConversationId): Promise<Rep | null> {
  const localId = localIdOf(user);
  switch (platformOf(user)) {
    case "slack":
      return db.rep.findFirst({ where: { slackUserId: localId, active: true } });
    case "teams":
      return db.rep.findFirst({ where: { teamsUserId: localId, active: true } });
    case "console":
      return db.rep.findFirst({ where: { id: localId, active: true } });
  }
}

/** Where to DM a rep: their chat user on the platform their team uses, else any they have. */
export function directAddress(rep: Rep, team: Team): ConversationId | undefined {
  const slack = rep.slackUserId ? `slack:${rep.slackUserId}` : undefined;
  const teams = rep.teamsUserId ? `teams:${rep.teamsUserId}` : undefined;
  if (team.platform === "slack") return slack ?? teams;
  if (team.platform === "teams") return teams ?? slack;
  return `console:${rep.id}`;
}

/**
 * Who may act on an accepted lead's card: its owner and the owner's team. Someone else hears that first; anyone
 * else hears why the step does not apply (the lifecycle's words).
 */
function refuseCardStep(lead: LeadForCard, rep: Rep | null, event: LeadEvent) {
  const inOwnersTeam = Boolean(lead.owner && rep && (rep.id === lead.owner.id || rep.teamId === lead.owner.teamId));
  if (lead.owner && !inOwnersTeam) return { outcome: "refused" as const, reply: notOwnerReply(lead.owner.name) };
  const change = transition(lead.status as LeadStatus, event, "rep");
  if (!change.allowed) return { outcome: "refused" as const, reply: plain(change.message) };
  if (!lead.owner || !rep) return { outcome: "refused" as const, reply: notOwnerReply(lead.owner?.name) };
  return undefined;
}

/**
 * Whether `rep` may decide (`accept` or `reject`) the lead's open offer: decided already (someone was first), not in
 * the offer's team, or not a step the lead's status allows. Undefined when the decision may go ahead, with the
 * status it leads to.
 */
function refuseDecision(lead: LeadForCard, rep: Rep | null, event: "accept" | "reject") {
  const offer = lead.offers[0];
  if (offer?.status !== "pending") {
    const rendered = render(lead);
    return { refusal: { outcome: "already_decided" as const, ...rendered, reply: alreadyDecidedReply(rendered.card) } };
  }
  if (!rep || rep.teamId !== offer.teamId) {
    return { refusal: { outcome: "refused" as const, reply: notInTeamReply(offer.team.name) } };
  }
  const change = transition(lead.status as LeadStatus, event, "rep");
  if (!change.allowed) return { refusal: { outcome: "refused" as const, reply: plain(change.message) } };
  return { offer, rep, to: change.to };
}

export function createHandoffService(deps: HandoffServiceDeps): HandoffService {
  const { prisma, logger } = deps;
  const now = deps.now ?? (() => new Date());

  function afterCommit() {
    deps.onOutbox?.();
  }

  return {
    async acceptLead(leadId, actor): Promise<AcceptResult> {
      if (!isLeadId(leadId)) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };
      const at = now();
      // Two reads (side by side where the database allows) and one write: see accept-batch.ts.
      const [lead, rep] = await Promise.all([
        prisma.lead.findUnique({ where: { id: leadId }, include: LEAD_ACCEPT_INCLUDE }),
        findRepForUser(prisma, actor.user),
      ]);
      if (!lead) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };
      const allowed = refuseDecision(lead, rep, "accept");
      if (allowed.refusal) return allowed.refusal;
      const { offer, rep: owner } = allowed;

      const acceptClock = lead.slaClocks[0];
      const acceptSla = acceptClock ? { id: acceptClock.id, ...clockStopOf(acceptClock, at) } : undefined;
      const firstTouchClock = {
        id: newId(),
        ...slaClockRow({
          leadId,
          kind: "first_touch",
          policy: slaPolicyForTeam(deps.batonConfig(), offer.teamId),
          schedule: workingScheduleFor(offer.team, owner),
          at,
        }),
      };
      // The card as it stands once this commits, from what is in hand rather than read back.
      const decided = {
        status: "accepted" as const,
        decidedAt: at,
        decidedByRepId: owner.id,
        decidedByUser: actor.user,
      };
      const leadChange = { status: allowed.to, ownerRepId: owner.id, acceptedAt: at, teamId: offer.teamId };
      const accepted: LeadForCard = {
        ...lead,
        ...leadChange,
        team: offer.team,
        owner,
        offers: [{ ...offer, ...decided, decidedBy: owner }],
      };
      const updated = render(accepted);
      const outbox: OutboxRow[] = [];
      const cardUpdate = cardUpdateOf(offer, updated.message, `offer:${offer.id}:accepted`);
      if (cardUpdate) outbox.push(cardUpdate);
      const dmTo = directAddress(owner, offer.team);
      if (dmTo) {
        outbox.push({
          idempotencyKey: `offer:${offer.id}:accepted:dm`,
          conversation: dmTo,
          payload: { kind: "direct", message: acceptedDirectMessage(updated.card, firstTouchClock.dueAt) },
        });
      }
      const written = await writeAcceptBatch(prisma, {
        leadId,
        leadStatusBefore: lead.status,
        offerId: offer.id,
        at,
        actor: actor.user,
        repId: owner.id,
        lead: leadChange,
        stopClock: acceptSla,
        startClock: firstTouchClock,
        audit: {
          actor: actor.user,
          action: "lead.accepted",
          details: {
            offerId: offer.id,
            repId: owner.id,
            acceptSla: acceptSla?.stop.status ?? null,
            minutesLate: acceptSla?.stop.minutesLate ?? null,
          },
        },
        outbox,
      });
      if (!written) {
        // Decided meanwhile (another click, a reject, the sweep re-offering it): the card as it now stands.
        const current = await loadLeadForCard(prisma, leadId);
        const rendered = render(current ?? lead);
        return { outcome: "already_decided", ...rendered, reply: alreadyDecidedReply(rendered.card) };
      }
      logger.info({ leadId, actor: actor.user }, "lead accepted");
      afterCommit();
      return {
        outcome: "accepted",
        card: updated.card,
        message: updated.message,
        location: updated.location,
        ownerName: owner.name,
      };
    },

    async rejectLead(leadId, actor, input: RejectInput): Promise<RejectResult> {
      const errors: Record<string, string> = {};
      const comment = input.comment?.trim() || undefined;
      if (!REJECT_REASONS.some((reason) => reason.code === input.reason)) errors.reason = "Choose a reason.";
      if (input.reason === "other" && !comment)
        errors.comment = "Tell marketing why: a comment is required for “Other”.";
      if (comment && comment.length > MAX_COMMENT) errors.comment = `Keep the comment under ${MAX_COMMENT} characters.`;
      if (comment && unstorableTextReason(comment)) errors.comment = UNREADABLE_TEXT;
      if (Object.keys(errors).length > 0) return { outcome: "invalid", errors };
      if (!isLeadId(leadId)) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };

      const at = now();
      const config = deps.batonConfig();
      const result = await prisma.$transaction(async (tx): Promise<RejectResult> => {
        const lead = await loadLeadForCard(tx, leadId);
        if (!lead) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };
        const allowed = refuseDecision(lead, await findRepForUser(tx, actor.user), "reject");
        if (allowed.refusal) return allowed.refusal;
        const { offer, rep } = allowed;
        const claimed = await tx.offer.updateMany({
          where: { id: offer.id, status: "pending" },
          data: {
            status: "rejected",
            decidedAt: at,
            decidedByRepId: rep.id,
            decidedByUser: actor.user,
            rejectReason: input.reason,
            rejectComment: comment ?? null,
          },
        });
        if (claimed.count === 0) {
          const current = await loadLeadForCard(tx, leadId);
          const rendered = render(current ?? lead);
          return { outcome: "already_decided", ...rendered, reply: alreadyDecidedReply(rendered.card) };
        }
        await tx.lead.update({ where: { id: leadId }, data: { status: allowed.to, rejectedAt: at } });
        await cancelSlaClocks(tx, { leadId, kinds: ["accept"] });
        await tx.auditLog.create({
          data: {
            actor: actor.user,
            action: "lead.rejected",
            leadId,
            details: { offerId: offer.id, reason: input.reason, comment: comment ?? null },
          },
        });
        // Render the rejected card before a re-route adds a newer offer.
        const rejectedCard = render((await loadLeadForCard(tx, leadId)) as LeadForCard);
        const cardUpdate = cardUpdateOf(offer, rejectedCard.message, `offer:${offer.id}:rejected`);
        if (cardUpdate) await enqueueOutbox(tx, cardUpdate);
        let reroutedTo: { teamName: string; teamId: string } | undefined;
        if (input.reason === "wrong_territory" && deps.reroute) {
          const earlier = await tx.offer.findMany({ where: { leadId }, select: { teamId: true } });
          const excludeTeamIds = [...new Set(earlier.map((row) => row.teamId))];
          const candidate = await deps.reroute(tx, {
            leadId,
            config,
            now: at,
            excludeTeamIds,
            attempt: earlier.length + 1,
          });
          if (candidate) {
            reroutedTo = candidate;
            await tx.auditLog.create({
              data: { actor: "system", action: "lead.rerouted", leadId, details: { toTeam: candidate.teamId } },
            });
          }
        }
        if (config.marketing) {
          await enqueueOutbox(tx, {
            idempotencyKey: `offer:${offer.id}:rejected:feedback`,
            conversation: config.marketing.channel,
            payload: { kind: "post", message: rejectionFeedback(rejectedCard.card, reroutedTo?.teamName) },
            leadId,
          });
        }
        return {
          outcome: "rejected",
          card: rejectedCard.card,
          message: rejectedCard.message,
          location: { conversation: offer.conversation, messageRef: offer.messageRef },
          reroutedToTeam: reroutedTo?.teamName,
        };
      });
      if (result.outcome === "rejected") {
        logger.info({ leadId, actor: actor.user, reason: input.reason }, "lead rejected");
        afterCommit();
      }
      return result;
    },

    async recordStep(leadId, actor, step: LeadStep): Promise<StepResult> {
      if (!isLeadId(leadId)) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };
      const at = now();
      const result = await prisma.$transaction(async (tx): Promise<StepResult> => {
        // Lock the lead row: two clicks on "Mark SQL" must not record two funnel events.
        const locked = await tx.$queryRaw<
          { id: string }[]
        >`SELECT id FROM "Lead" WHERE id = ${leadId}::uuid FOR UPDATE`;
        if (locked.length === 0) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };
        const lead = (await loadLeadForCard(tx, leadId)) as LeadForCard;
        const rep = await findRepForUser(tx, actor.user);
        const refused = refuseCardStep(lead, rep, STEP_EVENT[step]);
        if (refused || !rep) return refused ?? { outcome: "refused", reply: notOwnerReply(lead.owner?.name) };
        const change = transition(lead.status as LeadStatus, STEP_EVENT[step], "rep");
        if (!change.allowed) return { outcome: "refused", reply: plain(change.message) };
        const data: Prisma.LeadUpdateInput =
          step === "first_touch"
            ? { firstTouchAt: at, status: change.to }
            : step === "sql"
              ? { sqlAt: at, status: change.to, firstTouchAt: lead.firstTouchAt ?? at }
              : { status: change.to, closedAt: at };
        await tx.lead.update({ where: { id: leadId }, data });
        await tx.funnelEvent.create({
          data: {
            leadId,
            type: step,
            source: "baton",
            externalId: `${leadId}:${step}`,
            repId: rep.id,
            occurredAt: at,
          },
        });
        if (step === "disqualified") await cancelSlaClocks(tx, { leadId });
        else await stopSlaClock(tx, { leadId, kind: "first_touch", at });
        await tx.auditLog.create({ data: { actor: actor.user, action: `lead.${step}`, leadId, details: {} } });
        const updated = await enqueueCardUpdate(tx, leadId, `lead:${leadId}:${step}`);
        if (!updated) throw new Error("lead vanished inside its own transaction");
        const marketing = deps.batonConfig().marketing;
        if (step === "disqualified" && marketing) {
          await enqueueOutbox(tx, {
            idempotencyKey: `lead:${leadId}:disqualified:feedback`,
            conversation: marketing.channel,
            payload: {
              kind: "post",
              message: {
                text: `Lead disqualified by ${rep.name} after contact: ${updated.card.email}. It is back with marketing (recycled).`,
                blocks: [
                  {
                    type: "text",
                    text: `*Lead disqualified* by ${rep.name} (${updated.card.teamName}) after contact: ${updated.card.company ?? updated.card.email}. Status: recycled.`,
                  },
                ],
              },
            },
            leadId,
          });
        }
        return { outcome: "recorded", card: updated.card, message: updated.message, location: updated.location };
      });
      if (result.outcome === "recorded") afterCommit();
      return result;
    },

    async checkDealOutcome(leadId, actor, step): Promise<DealOutcomeCheck> {
      if (!isLeadId(leadId)) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };
      const lead = await loadLeadForCard(prisma, leadId);
      if (!lead) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };
      const refused = refuseCardStep(lead, await findRepForUser(prisma, actor.user), step);
      return refused ?? { outcome: "allowed", ...render(lead) };
    },

    async recordDealOutcome(leadId, actor, step, input): Promise<DealOutcomeResult> {
      if (!isLeadId(leadId)) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };
      const read = readDealOutcome(step, input);
      if (!read.ok) return { outcome: "invalid", errors: read.errors };
      const at = now();
      const result = await prisma.$transaction(async (tx): Promise<DealOutcomeResult> => {
        // Lock the lead row: of two "Won" submissions one records the deal, the other hears it is already won.
        const locked = await tx.$queryRaw<
          { id: string }[]
        >`SELECT id FROM "Lead" WHERE id = ${leadId}::uuid FOR UPDATE`;
        if (locked.length === 0) return { outcome: "not_found", reply: leadNotFoundReply(leadId) };
        const lead = (await loadLeadForCard(tx, leadId)) as LeadForCard;
        const rep = await findRepForUser(tx, actor.user);
        const refused = refuseCardStep(lead, rep, step);
        if (refused || !rep) return refused ?? { outcome: "refused", reply: notOwnerReply(lead.owner?.name) };
        const { outcome } = read;
        // The lifecycle lets a rep take each of these once per lead: the lead's id is the event's key.
        const externalId = `${leadId}:${step}`;
        const applied = await applyFunnelEvent(tx, {
          lead,
          event: { ...outcome, source: "baton", externalId, occurredAt: at },
          actor: "rep",
          auditActor: actor.user,
          repId: rep.id,
          cardUpdateKey: `lead:${leadId}:${step}`,
        });
        if (!applied.applied) return { outcome: "refused", reply: plain(applied.message) };
        const { card, message, location } = applied.card;
        return { outcome: "recorded", card, message, location };
      });
      if (result.outcome === "recorded") {
        logger.info({ leadId, actor: actor.user, step }, "deal outcome recorded from chat");
        afterCommit();
      }
      return result;
    },

    currentCard: (leadId) => currentLeadCard(prisma, leadId),
  };
}
