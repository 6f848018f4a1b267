/**
 * One funnel event applied to its lead, whoever sent it: a CRM webhook (`receive-crm-event.ts`) or a rep on the
 * card, for teams without a CRM hook (`recordDealOutcome` in the handoff). One code path, so the funnel event, the
 * lead's dates, the Deal row and therefore every KPI come out the same either way.
 *
 * The caller holds the lead's row lock (`SELECT … FOR UPDATE`) and has checked idempotency; this asks the
 * lifecycle, then writes the event, the lead, the deal, the SLA clock, the audit entry and the card update.
 */
import type { CrmEventType } from "../domain/leads/funnel.ts";
import { type LeadStatus, type LifecycleActor, transition } from "../domain/leads/lifecycle.ts";
import { type Lead, Prisma } from "../generated/prisma/client.ts";
import { stopSlaClock } from "../sla/sla-clocks.ts";
import { enqueueCardUpdate } from "./lead-card-view.ts";

/** Every later stage implies the lead was contacted: it stops the first-touch clock too. */
const CONTACT_EVENTS: CrmEventType[] = ["first_touch", "sql", "opportunity", "won", "lost"];

export interface FunnelEventToApply {
  type: CrmEventType;
  /** With `externalId`, the event's idempotency key: the CRM's name, or `baton` for the card. */
  source: string;
  externalId: string;
  amount?: number;
  currency?: string;
  reason?: string;
  occurredAt: Date;
}

export interface ApplyFunnelEventInput {
  /** Read after the row lock was taken. */
  lead: Lead;
  event: FunnelEventToApply;
  actor: LifecycleActor;
  /** Who the audit log names: `webhook:<source>` or the platform user. */
  auditActor: string;
  /** The rep the event is credited to. */
  repId: string | null;
  /** Idempotency key of the card update in the outbox. */
  cardUpdateKey: string;
}

export type AppliedFunnelEvent =
  | { applied: true; card: NonNullable<Awaited<ReturnType<typeof enqueueCardUpdate>>> }
  /** The lifecycle said no; `message` is its sentence ("Can't mark the lead won: …"). */
  | { applied: false; message: string };

export async function applyFunnelEvent(
  tx: Prisma.TransactionClient,
  input: ApplyFunnelEventInput,
): Promise<AppliedFunnelEvent> {
  const { lead, event } = input;
  const leadId = lead.id;
  const occurredAt = event.occurredAt;
  const change = transition(lead.status as LeadStatus, event.type, input.actor);
  if (!change.allowed) return { applied: false, message: change.message };

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
      repId: input.repId,
      occurredAt,
    },
  });
  const data: Prisma.LeadUpdateInput = { status: change.to };
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
      actor: input.auditActor,
      action: `lead.${event.type}`,
      leadId,
      details: { externalId: event.externalId, amount: event.amount ?? null, reason: event.reason ?? null },
    },
  });
  const card = await enqueueCardUpdate(tx, leadId, input.cardUpdateKey);
  if (!card) throw new Error("lead vanished inside its own transaction");
  return { applied: true, card };
}
