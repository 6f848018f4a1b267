/**
 * Stores an incoming MQL exactly once and hands it on: linked to the person's open lead if there is one, else
 * routed and offered. Everything for one MQL commits in one transaction; a failure stores nothing.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import { personName } from "../domain/lead-card.ts";
import { type FieldErrors, parseMql, type TMql } from "../domain/leads/mql.ts";
import { type MqlSource, SOURCE_MAPPERS } from "../domain/leads/source-mappers.ts";
import { AppError } from "../errors.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import { findLeadByKey, findOpenLeadByEmail, insertLead, leadRowOf } from "../repositories/leads.ts";
import { enqueueOutbox } from "../repositories/outbox.ts";
import { chooseRoute, loadRoutingState, writeOffer } from "./offer-lead.ts";

/**
 * A campaign can send MQLs in bursts larger than the connection pool; waiting a few seconds for a connection
 * beats answering 503 (Prisma's default wait is 2 s). Still well inside a webhook sender's time limit.
 */
const BURST_TOLERANT = { maxWait: 10_000, timeout: 15_000 };

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

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

function repeatNotice(mql: TMql, campaign: string | undefined): ChatMessage {
  const who = personName(mql);
  const text = `${who}${mql.company ? ` (${mql.company})` : ""}, your open lead, converted again${campaign ? ` via “${campaign}”` : ""} (${mql.source}). No new card was posted.`;
  return { text, blocks: [{ type: "text", text: `🔁 ${text}` }] };
}

/**
 * Round trips, in order: the person's open lead; the routing state (unless linking); the lead itself, already
 * offered or linked (the unique key turns a second copy into a rollback and a "duplicate"); then the offer's
 * rows and the audit, batched where the tables allow.
 */
export async function receiveMql(
  prisma: PrismaClient,
  input: { mql: TMql; rawPayload: unknown; config: BatonConfig; now: Date; actor?: string },
): Promise<ReceiveMqlResult> {
  const { mql, config, now } = input;
  const row = leadRowOf(mql, input.rawPayload, now);
  const received = (leadId: string): Prisma.AuditLogCreateManyInput => ({
    actor: input.actor ?? `webhook:${mql.source}`,
    action: "lead.received",
    leadId,
    details: { source: mql.source, externalId: mql.externalId },
  });
  try {
    return await prisma.$transaction(async (tx) => {
      const open = await findOpenLeadByEmail(tx, mql.email);
      if (open) {
        const lead = await insertLead(tx, { ...row, duplicateOfId: open.id });
        await tx.auditLog.createMany({
          data: [
            received(lead.id),
            { actor: "system", action: "lead.linked", leadId: lead.id, details: { to: open.id } },
          ],
        });
        const owner = open.owner;
        const target = owner?.slackUserId
          ? { conversation: `slack:${owner.slackUserId}`, kind: "direct" as const }
          : owner?.teamsUserId
            ? { conversation: `teams:${owner.teamsUserId}`, kind: "direct" as const }
            : open.team
              ? { conversation: open.team.conversation, kind: "post" as const }
              : undefined;
        if (target) {
          await enqueueOutbox(tx, {
            idempotencyKey: `lead:${lead.id}:linked`,
            conversation: target.conversation,
            payload: { kind: target.kind, message: repeatNotice(mql, mql.campaign) },
            leadId: open.id,
          });
        }
        return { leadId: lead.id, status: "created" as const, linkedTo: open.id };
      }
      const route = chooseRoute(row, await loadRoutingState(tx, now), { config, now });
      if (!route) {
        const lead = await insertLead(tx, row);
        await tx.auditLog.createMany({ data: [received(lead.id)] });
        return { leadId: lead.id, status: "created" as const };
      }
      const lead = await insertLead(tx, { ...row, status: "offered", teamId: route.team.id, offeredAt: now });
      const offer = await writeOffer(tx, {
        lead,
        route,
        config,
        now,
        attempt: 1,
        auditFirst: [received(lead.id)],
        freshLead: true,
      });
      return { leadId: lead.id, status: "created" as const, offeredTo: offer.teamName };
    }, BURST_TOLERANT);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Someone stored this (source, externalId) first (a retry, or a concurrent copy): answer with that lead.
    const existing = await findLeadByKey(prisma, mql.source, mql.externalId);
    if (!existing) throw error;
    return { leadId: existing.id, status: "duplicate" };
  }
}
