/**
 * Stores an incoming MQL exactly once and hands it on: linked to the person's open lead if there is one, else
 * routed and offered. Everything for one MQL commits in one transaction; a failure stores nothing.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import { personName } from "../domain/lead-card.ts";
import { companyDomainOf, type FieldErrors, parseMql, type TMql } from "../domain/leads/mql.ts";
import { type MqlSource, SOURCE_MAPPERS } from "../domain/leads/source-mappers.ts";
import { AppError } from "../errors.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import { enqueueOutbox } from "../repositories/outbox.ts";
import { routeAndOfferLead } from "./offer-lead.ts";

export const OPEN_LEAD_STATUSES = ["new", "offered", "accepted", "contacted", "sql", "opportunity"] as const;

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

function leadData(mql: TMql, rawPayload: unknown, now: Date) {
  return {
    source: mql.source,
    externalId: mql.externalId,
    email: mql.email,
    firstName: mql.firstName,
    lastName: mql.lastName,
    company: mql.company,
    companyDomain: companyDomainOf(mql.email, mql.website),
    title: mql.title,
    phone: mql.phone,
    country: mql.country,
    region: mql.region,
    employees: mql.employees,
    industry: mql.industry,
    score: mql.score,
    campaign: mql.campaign,
    channel: mql.channel,
    notes: mql.notes,
    sourceCreatedAt: mql.createdAt,
    rawPayload: rawPayload as Prisma.InputJsonValue,
    receivedAt: now,
  };
}

function repeatNotice(mql: TMql, campaign: string | undefined): ChatMessage {
  const who = personName(mql);
  const text = `${who}${mql.company ? ` (${mql.company})` : ""}, your open lead, converted again${campaign ? ` via “${campaign}”` : ""} (${mql.source}). No new card was posted.`;
  return { text, blocks: [{ type: "text", text: `🔁 ${text}` }] };
}

export async function receiveMql(
  prisma: PrismaClient,
  input: { mql: TMql; rawPayload: unknown; config: BatonConfig; now: Date; actor?: string },
): Promise<ReceiveMqlResult> {
  const { mql, config, now } = input;
  try {
    return await prisma.$transaction(async (tx) => {
      const lead = await tx.lead.create({ data: leadData(mql, input.rawPayload, now) });
      await tx.auditLog.create({
        data: {
          actor: input.actor ?? `webhook:${mql.source}`,
          action: "lead.received",
          leadId: lead.id,
          details: { source: mql.source, externalId: mql.externalId },
        },
      });
      const open = await tx.lead.findFirst({
        where: { email: mql.email, id: { not: lead.id }, duplicateOfId: null, status: { in: [...OPEN_LEAD_STATUSES] } },
        orderBy: { receivedAt: "desc" },
        include: { owner: true, team: true },
      });
      if (open) {
        await tx.lead.update({ where: { id: lead.id }, data: { duplicateOfId: open.id } });
        await tx.auditLog.create({
          data: { actor: "system", action: "lead.linked", leadId: lead.id, details: { to: open.id } },
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
      const offer = await routeAndOfferLead(tx, { leadId: lead.id, config, now });
      return { leadId: lead.id, status: "created" as const, offeredTo: offer?.teamName };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Someone stored this (source, externalId) first (a retry, or a concurrent copy): answer with that lead.
    const existing = await prisma.lead.findUnique({
      where: { source_externalId: { source: mql.source, externalId: mql.externalId } },
      select: { id: true },
    });
    if (!existing) throw error;
    return { leadId: existing.id, status: "duplicate" };
  }
}
