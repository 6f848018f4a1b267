/**
 * Receives one CRM funnel event: stored once (source + externalId), then applied to its lead by
 * {@link applyFunnelEvent} (the lead moves on, deals open and close, the first-touch clock stops, the card shows the
 * news) — the same code a deal outcome from the card runs.
 */
import type { TCrmEvent } from "../domain/leads/funnel.ts";
import { isLeadId } from "../domain/leads/lead-id.ts";
import { AppError } from "../errors.ts";
import { type FunnelEvent, Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import { applyFunnelEvent } from "../handoff/apply-funnel-event.ts";

async function findLeadId(tx: Prisma.TransactionClient | PrismaClient, ref: TCrmEvent["lead"]): Promise<string | null> {
  if (ref.id) return isLeadId(ref.id) ? ((await tx.lead.findUnique({ where: { id: ref.id } }))?.id ?? null) : null;
  if (ref.source && ref.externalId) {
    const lead = await tx.lead.findUnique({
      where: { source_externalId: { source: ref.source, externalId: ref.externalId } },
    });
    return lead ? (lead.duplicateOfId ?? lead.id) : null;
  }
  const lead = await tx.lead.findFirst({
    where: { email: ref.email, duplicateOfId: null },
    orderBy: { receivedAt: "desc" },
  });
  return lead?.id ?? null;
}

type StoredEvent = Pick<FunnelEvent, "leadId" | "type" | "amount" | "currency" | "reason" | "occurredAt">;

/**
 * The fields in which a repeat of (source, externalId) differs from the event stored under that key. A retry sends
 * the same event again; a different event under a used key is the sender's bug (a reused or colliding id), which
 * payment APIs answer with a conflict rather than silently keeping the first: so does Baton. An absent
 * `occurredAt` is not compared: the stored one then is the time of receipt, not something the sender said.
 */
export function conflictingFields(stored: StoredEvent, event: TCrmEvent, leadId: string | null): string[] {
  const differs: string[] = [];
  if (stored.type !== event.type) differs.push(`type (stored: ${stored.type})`);
  if (leadId !== stored.leadId) differs.push("lead");
  const amount = event.amount === undefined ? null : new Prisma.Decimal(event.amount).toDecimalPlaces(2);
  if ((amount === null) !== (stored.amount === null) || (amount && stored.amount && !amount.equals(stored.amount))) {
    differs.push(`amount (stored: ${stored.amount?.toString() ?? "none"})`);
  }
  if ((event.currency ?? null) !== stored.currency) differs.push(`currency (stored: ${stored.currency ?? "none"})`);
  if ((event.reason ?? null) !== stored.reason) differs.push("reason");
  if (event.occurredAt && event.occurredAt.getTime() !== stored.occurredAt.getTime()) {
    differs.push(`occurredAt (stored: ${stored.occurredAt.toISOString()})`);
  }
  return differs;
}

function answerRepeat(stored: StoredEvent, event: TCrmEvent, leadId: string | null) {
  const differs = conflictingFields(stored, event, leadId);
  if (differs.length > 0) {
    throw new AppError("CONFLICT", {
      message: `externalId "${event.externalId}" from ${event.source} was already used for a different event: ${differs.join(", ")} differ. Send a new externalId for a new event.`,
      details: { conflict: "idempotency_key_reused", fields: differs },
    });
  }
  return { status: "duplicate" as const, leadId: stored.leadId };
}

export async function receiveCrmEvent(
  prisma: PrismaClient,
  event: TCrmEvent,
  now: Date,
): Promise<{ status: "applied" | "duplicate"; leadId: string }> {
  const occurredAt = event.occurredAt ?? now;
  try {
    return await prisma.$transaction(async (tx) => {
      const leadId = await findLeadId(tx, event.lead);
      const earlier = await tx.funnelEvent.findUnique({
        where: { source_externalId: { source: event.source, externalId: event.externalId } },
      });
      if (earlier) return answerRepeat(earlier, event, leadId);
      if (!leadId) throw new AppError("NOT_FOUND", { message: "No lead matches the event's `lead`." });
      // Lock the lead: two events for one lead apply one after the other, each seeing the other's result.
      await tx.$queryRaw`SELECT id FROM "Lead" WHERE id = ${leadId}::uuid FOR UPDATE`;
      const lead = await tx.lead.findUniqueOrThrow({ where: { id: leadId } });
      const duplicate = await tx.funnelEvent.findUnique({
        where: { source_externalId: { source: event.source, externalId: event.externalId } },
      });
      if (duplicate) return answerRepeat(duplicate, event, leadId);
      const applied = await applyFunnelEvent(tx, {
        lead,
        event: { ...event, occurredAt },
        actor: "crm",
        auditActor: `webhook:${event.source}`,
        repId: lead.ownerRepId,
        cardUpdateKey: `crm:${event.source}:${event.externalId}`,
      });
      if (!applied.applied) throw new AppError("CONFLICT", { message: applied.message });
      return { status: "applied" as const, leadId };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const existing = await prisma.funnelEvent.findUnique({
        where: { source_externalId: { source: event.source, externalId: event.externalId } },
      });
      if (existing) return answerRepeat(existing, event, await findLeadId(prisma, event.lead));
    }
    throw error;
  }
}
