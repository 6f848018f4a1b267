/**
 * Applies one CRM funnel event to its lead: the event is stored once (source + externalId), the lead moves on,
 * deals open and close, the first-touch clock stops, and the lead's card shows the news.
 */
import type { TCrmEvent } from "../domain/leads/funnel.ts";
import { isLeadId } from "../domain/leads/lead-id.ts";
import { type LeadStatus, transition } from "../domain/leads/lifecycle.ts";
import { AppError } from "../errors.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import { enqueueCardUpdate } from "../handoff/lead-card-view.ts";
import { stopSlaClock } from "../sla/sla-clocks.ts";

async function findLeadId(tx: Prisma.TransactionClient, ref: TCrmEvent["lead"]): Promise<string | null> {
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

const CONTACT_EVENTS: TCrmEvent["type"][] = ["first_touch", "sql", "opportunity", "won", "lost"];

export async function receiveCrmEvent(
  prisma: PrismaClient,
  event: TCrmEvent,
  now: Date,
): Promise<{ status: "applied" | "duplicate"; leadId: string }> {
  const occurredAt = event.occurredAt ?? now;
  try {
    return await prisma.$transaction(async (tx) => {
      const leadId = await findLeadId(tx, event.lead);
      if (!leadId) throw new AppError("NOT_FOUND", { message: "No lead matches the event's `lead`." });
      // Lock the lead: two events for one lead apply one after the other, each seeing the other's result.
      await tx.$queryRaw`SELECT id FROM "Lead" WHERE id = ${leadId}::uuid FOR UPDATE`;
      const lead = await tx.lead.findUniqueOrThrow({ where: { id: leadId } });
      const duplicate = await tx.funnelEvent.findUnique({
        where: { source_externalId: { source: event.source, externalId: event.externalId } },
      });
      if (duplicate) return { status: "duplicate" as const, leadId: duplicate.leadId };
      const change = transition(lead.status as LeadStatus, event.type, "crm");
      if (!change.allowed) throw new AppError("CONFLICT", { message: change.message });

      const amount = event.amount === undefined ? undefined : new Prisma.Decimal(event.amount);
      await tx.funnelEvent.create({
        data: {
          leadId,
          type: event.type,
          source: event.source,
          externalId: event.externalId,
          amount,
          currency: event.currency,
          reason: event.reason,
          repId: lead.ownerRepId,
          occurredAt,
        },
      });
      const data: Prisma.LeadUpdateInput = { status: change.to };
      // Every later stage implies the lead was contacted: it stops the first-touch clock too.
      const contacted = CONTACT_EVENTS.includes(event.type);
      if (contacted) data.firstTouchAt = lead.firstTouchAt ?? occurredAt;
      if (event.type === "sql") data.sqlAt = lead.sqlAt ?? occurredAt;
      if (event.type === "won" || event.type === "lost") data.closedAt = occurredAt;
      await tx.lead.update({ where: { id: leadId }, data });

      if (contacted) await stopSlaClock(tx, { leadId, kind: "first_touch", at: occurredAt });
      const openDeal = await tx.deal.findFirst({ where: { leadId, outcome: "open" }, orderBy: { openedAt: "desc" } });
      if (event.type === "opportunity") {
        const dealData = { amount: amount as Prisma.Decimal, currency: event.currency ?? "USD", stage: "opportunity" };
        if (openDeal) await tx.deal.update({ where: { id: openDeal.id }, data: dealData });
        else {
          await tx.deal.create({
            data: { leadId, teamId: lead.teamId, ownerRepId: lead.ownerRepId, openedAt: occurredAt, ...dealData },
          });
        }
      }
      if (event.type === "won" || event.type === "lost") {
        const closing = {
          outcome: event.type,
          stage: event.type,
          closedAt: occurredAt,
          ...(amount ? { amount, currency: event.currency ?? openDeal?.currency ?? "USD" } : {}),
        } as const;
        if (openDeal) await tx.deal.update({ where: { id: openDeal.id }, data: closing });
        else {
          await tx.deal.create({
            data: {
              leadId,
              teamId: lead.teamId,
              ownerRepId: lead.ownerRepId,
              openedAt: occurredAt,
              amount: amount ?? new Prisma.Decimal(0),
              currency: event.currency ?? "USD",
              ...closing,
            },
          });
        }
      }
      await tx.auditLog.create({
        data: {
          actor: `webhook:${event.source}`,
          action: `lead.${event.type}`,
          leadId,
          details: { externalId: event.externalId, amount: event.amount ?? null, reason: event.reason ?? null },
        },
      });
      await enqueueCardUpdate(tx, leadId, `crm:${event.source}:${event.externalId}`);
      return { status: "applied" as const, leadId };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const existing = await prisma.funnelEvent.findUnique({
        where: { source_externalId: { source: event.source, externalId: event.externalId } },
      });
      if (existing) return { status: "duplicate", leadId: existing.leadId };
    }
    throw error;
  }
}
