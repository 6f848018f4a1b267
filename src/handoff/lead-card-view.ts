/** Builds the platform-neutral card of a lead from what the database holds about it. */
import type { ChatMessage, MessageRef } from "../domain/chat-message.ts";
import { type LeadCardStatus, type LeadCardView, renderLeadCard } from "../domain/lead-card.ts";
import type { Lead, Offer, Prisma, Rep, RoutingDecision, Team } from "../generated/prisma/client.ts";
import { type Db, type EnqueueOutboxInput, enqueueOutbox } from "../repositories/outbox.ts";
import type { CardLocation } from "./handoff-types.ts";

/** Everything the card shows, in one query. */
export const LEAD_CARD_INCLUDE = {
  team: true,
  owner: true,
  offers: {
    orderBy: { createdAt: "desc" },
    take: 1,
    include: { team: true, decidedBy: true, routingDecision: true, candidateRep: true },
  },
  // A lead is disqualified or lost, never both (each ends its lifecycle): one row says which, by whom, and why.
  funnelEvents: { where: { type: { in: ["disqualified", "lost"] } }, include: { rep: true }, take: 1 },
  deals: { orderBy: { openedAt: "desc" }, take: 1 },
} satisfies Prisma.LeadInclude;

export type LeadForCard = Prisma.LeadGetPayload<{ include: typeof LEAD_CARD_INCLUDE }>;

export function loadLeadForCard(db: Db, leadId: string): Promise<LeadForCard | null> {
  return db.lead.findUnique({ where: { id: leadId }, include: LEAD_CARD_INCLUDE });
}

/**
 * What {@link loadLeadForCard} would read for a lead offered for the first time, assembled from the rows just
 * written: a new lead has no owner, no funnel events and no other offer, so there is nothing to read back.
 */
export function newOfferForCard(input: {
  lead: Lead;
  team: Team;
  offer: Offer;
  routingDecision: RoutingDecision;
  candidateRep: Rep | null;
}): LeadForCard {
  const { lead, team, offer } = input;
  return {
    ...lead,
    team,
    owner: null,
    offers: [
      { ...offer, team, decidedBy: null, routingDecision: input.routingDecision, candidateRep: input.candidateRep },
    ],
    funnelEvents: [],
    deals: [],
  };
}

export function leadCardView(lead: LeadForCard): LeadCardView {
  const offer = lead.offers[0];
  const team = offer?.team ?? lead.team;
  const rejected = offer?.status === "rejected";
  const ended = lead.funnelEvents[0];
  const disqualified = ended?.type === "disqualified" ? ended : undefined;
  const deal = lead.deals[0];
  return {
    leadId: lead.id,
    email: lead.email,
    firstName: lead.firstName,
    lastName: lead.lastName,
    company: lead.company,
    title: lead.title,
    phone: lead.phone,
    country: lead.country,
    region: lead.region,
    employees: lead.employees,
    industry: lead.industry,
    score: lead.score,
    source: lead.source,
    campaign: lead.campaign,
    channel: lead.channel,
    notes: lead.notes,
    teamName: team?.name ?? "no team",
    routingReason: offer?.routingDecision?.reason ?? "not routed yet",
    suggestedRepName: offer?.candidateRep?.name ?? null,
    // The card belongs to the offer: a rejected offer shows as rejected even when the lead moved on to another team.
    status: (rejected ? "rejected" : lead.status) as LeadCardStatus,
    owner: !rejected && lead.owner && lead.acceptedAt ? { name: lead.owner.name, at: lead.acceptedAt } : null,
    rejection:
      rejected && offer.decidedAt
        ? {
            byName: offer.decidedBy?.name ?? offer.decidedByUser ?? "someone",
            at: offer.decidedAt,
            reason: offer.rejectReason ?? "other",
            comment: offer.rejectComment,
          }
        : null,
    firstTouchAt: lead.firstTouchAt,
    sqlAt: lead.sqlAt,
    disqualified: disqualified ? { byName: disqualified.rep?.name ?? "someone", at: disqualified.occurredAt } : null,
    deal: deal ? { amount: deal.amount.toString(), currency: deal.currency } : null,
    lostReason: ended?.type === "lost" ? ended.reason : null,
    timeZone: team?.timezone ?? "UTC",
  };
}

function cardLocation(lead: LeadForCard): CardLocation {
  const offer = lead.offers[0];
  return { conversation: offer?.conversation ?? lead.team?.conversation ?? "", messageRef: offer?.messageRef ?? null };
}

/** The lead's card as it should look now, and where it lives. */
export function renderLeadForCard(lead: LeadForCard): {
  card: LeadCardView;
  message: ChatMessage;
  location: CardLocation;
} {
  const card = leadCardView(lead);
  return { card, message: renderLeadCard(card), location: cardLocation(lead) };
}

/**
 * The outbox message that updates an offer's posted card in place to `message`; none while the card is not posted
 * yet. `key` (e.g. `offer:<id>:accepted`) makes the update idempotent.
 */
export function cardUpdateOf(
  offer: Pick<Offer, "id" | "leadId" | "conversation" | "messageRef">,
  message: ChatMessage,
  key: string,
): EnqueueOutboxInput | undefined {
  if (!offer.messageRef) return undefined;
  const ref: MessageRef = { conversation: offer.conversation, messageId: offer.messageRef };
  return {
    idempotencyKey: `${key}:card`,
    conversation: offer.conversation,
    payload: { kind: "update", ref, message },
    leadId: offer.leadId,
    offerId: offer.id,
  };
}

/** Re-renders the lead's current card in place (once it has been posted); `key` makes the update idempotent. */
export async function enqueueCardUpdate(tx: Prisma.TransactionClient, leadId: string, key: string) {
  const lead = await loadLeadForCard(tx, leadId);
  if (!lead) return null;
  const rendered = renderLeadForCard(lead);
  const update = lead.offers[0] && cardUpdateOf(lead.offers[0], rendered.message, key);
  if (update) await enqueueOutbox(tx, update);
  return { lead, ...rendered };
}
