/**
 * Stores an incoming MQL exactly once and hands it on: linked to the person's open lead if there is one, else
 * routed and offered. Everything for one MQL is written in one statement; a failure stores nothing.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import { personName, renderLeadCard } from "../domain/lead-card.ts";
import { type FieldErrors, parseMql, type TMql } from "../domain/leads/mql.ts";
import { type MqlSource, SOURCE_MAPPERS } from "../domain/leads/source-mappers.ts";
import { AppError } from "../errors.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { leadCardView, newOfferForCard } from "../handoff/lead-card-view.ts";
import { type AuditRow, newId, writeIntakeBatch } from "../repositories/intake-batch.ts";
import { findLeadByKey, leadRowOf, storedLeadOf } from "../repositories/leads.ts";
import { loadIntakeContext } from "./intake-context.ts";
import { chooseRoute, offerRowsOf, pendingOffer } from "./offer-lead.ts";

export interface ReceiveMqlResult {
  leadId: string;
  status: "created" | "duplicate";
  /** Set for a new MQL of a person whose lead is still open: that lead's id. */
  linkedTo?: string;
  offeredTo?: string;
}

export class InvalidMqlError extends AppError {
  constructor(readonly fieldErrors: FieldErrors) {
    super("INVALID_INPUT", {
      message: `Invalid MQL: ${Object.entries(fieldErrors)
        .map(([field, message]) => `${field} ${message}`)
        .join("; ")}`,
      details: fieldErrors,
    });
  }
}

/** Maps a source-native body (HubSpot, Salesforce, Marketo) or the generic JSON to a validated MQL. */
export function toMql(body: unknown, shape?: MqlSource): TMql {
  const mapped = shape ? SOURCE_MAPPERS[shape](body) : body;
  const parsed = parseMql(mapped);
  if (!parsed.ok) throw new InvalidMqlError(parsed.errors);
  return parsed.mql;
}

function repeatNotice(mql: TMql, campaign: string | undefined): ChatMessage {
  const who = personName(mql);
  const text = `${who}${mql.company ? ` (${mql.company})` : ""}, your open lead, converted again${campaign ? ` via “${campaign}”` : ""} (${mql.source}). No new card was posted.`;
  return { text, blocks: [{ type: "text", text: `🔁 ${text}` }] };
}

/**
 * Round trips: one read (is this MQL stored already, does the person have an open lead, and the routing state:
 * `loadIntakeContext`), then ONE statement writing the lead with everything its arrival
 * writes (`writeIntakeBatch`). That statement is atomic on its own; and the reads before it gave no more isolation
 * inside a READ COMMITTED transaction than outside one, so none is opened. The lead's unique (source, externalId)
 * still decides a race between two copies: the second writes nothing and is answered as a duplicate.
 */
export async function receiveMql(
  prisma: PrismaClient,
  input: { mql: TMql; rawPayload: unknown; config: BatonConfig; now: Date; actor?: string },
): Promise<ReceiveMqlResult> {
  const { mql, config, now } = input;
  const row = { ...leadRowOf(mql, input.rawPayload, now), id: newId(), createdAt: new Date() };
  const received: AuditRow = {
    actor: input.actor ?? `webhook:${mql.source}`,
    action: "lead.received",
    details: { source: mql.source, externalId: mql.externalId },
  };
  const duplicate = async (): Promise<ReceiveMqlResult> => {
    // Someone stored this (source, externalId) first (a retry, or a concurrent copy): answer with that lead.
    const existing = await findLeadByKey(prisma, mql.source, mql.externalId);
    if (!existing) throw new Error(`lead ${mql.source}/${mql.externalId} was neither written nor found`);
    return { leadId: existing.id, status: "duplicate" };
  };

  const { matches, routing } = await loadIntakeContext(prisma, mql, now);
  const { stored, open } = matches;
  if (stored) return { leadId: stored.id, status: "duplicate" };
  if (open) {
    const owner = open.owner;
    const target = owner?.slackUserId
      ? { conversation: `slack:${owner.slackUserId}`, kind: "direct" as const }
      : owner?.teamsUserId
        ? { conversation: `teams:${owner.teamsUserId}`, kind: "direct" as const }
        : open.team
          ? { conversation: open.team.conversation, kind: "post" as const }
          : undefined;
    const written = await writeIntakeBatch(prisma, {
      lead: { ...row, duplicateOfId: open.id },
      audit: [received, { actor: "system", action: "lead.linked", details: { to: open.id } }],
      outbox: target && {
        idempotencyKey: `lead:${row.id}:linked`,
        conversation: target.conversation,
        payload: { kind: target.kind, message: repeatNotice(mql, mql.campaign) },
        leadId: open.id,
      },
    });
    return written ? { leadId: row.id, status: "created", linkedTo: open.id } : duplicate();
  }

  const route = chooseRoute(row, routing, { config, now });
  if (!route) {
    const written = await writeIntakeBatch(prisma, { lead: row, audit: [received] });
    return written ? { leadId: row.id, status: "created" } : duplicate();
  }
  const leadRow = { ...row, status: "offered" as const, teamId: route.team.id, offeredAt: now };
  const rows = offerRowsOf({ leadId: row.id, route, config, now, attempt: 1 });
  // The card is rendered from what is in hand: a new lead has no owner, history or other offer to read back.
  const card = newOfferForCard({
    lead: storedLeadOf(leadRow),
    team: route.team,
    offer: pendingOffer(rows.offer, row.createdAt),
    routingDecision: rows.routingDecision,
    candidateRep: route.rep,
  });
  const written = await writeIntakeBatch(prisma, {
    lead: leadRow,
    routingDecision: rows.routingDecision,
    offer: rows.offer,
    repOffered: route.decision.repId ? { repId: route.decision.repId, at: now } : undefined,
    clock: rows.clock,
    audit: [received, rows.routed],
    outbox: {
      idempotencyKey: `offer:${rows.offer.id}:post`,
      conversation: route.team.conversation,
      payload: { kind: "post", message: renderLeadCard(leadCardView(card)) },
      offerId: rows.offer.id,
    },
  });
  return written ? { leadId: row.id, status: "created", offeredTo: route.team.name } : duplicate();
}
