/**
 * Erases a person (GDPR art. 17): every lead with their email is anonymised in place, and their email, name and
 * phone are scrubbed from raw payloads, audit details, reject comments, outbox messages and agendas. What KPIs
 * count stays: the leads themselves, their status, team, owner, dates, source, campaign, region, reasons and deals.
 * Cards already posted are re-rendered (anonymised) through the outbox, like any other card update; other messages
 * Baton sent about them are replaced by a short notice where the platform lets Baton edit them.
 */
import type { ChatMessage, MessageRef } from "../domain/chat-message.ts";
import { renderLeadCard } from "../domain/lead-card.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { leadCardView, loadLeadForCard } from "../handoff/lead-card-view.ts";
import { enqueueOutbox, type OutboxPayload } from "../repositories/outbox.ts";

export const ERASED = "[erased]";

/** What a message about an erased person says instead, in the store and (where it can be edited) in chat. */
const REMOVED_MESSAGE: ChatMessage = {
  text: "This message was removed: the person's data was erased.",
  blocks: [{ type: "context", text: "This message was removed: the person's data was erased." }],
};

export interface ForgetPersonDeps {
  prisma: PrismaClient;
  now?: () => Date;
}

export interface ForgetPersonResult {
  /** Leads anonymised (0: Baton held nothing under that email). */
  leads: number;
  /** Chat messages queued to replace what was posted. */
  messagesUpdated: number;
}

/** Every string inside `value` with each needle (case-insensitive) replaced by {@link ERASED}. */
export function scrubJson(value: unknown, needles: readonly string[]): unknown {
  if (typeof value === "string") return scrubText(value, needles);
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, needles));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubJson(item, needles)]));
  }
  return value;
}

function scrubText(text: string, needles: readonly string[]): string {
  let result = text;
  for (const needle of needles) {
    const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    result = result.replace(new RegExp(escaped, "gi"), ERASED);
  }
  return result;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

export async function forgetPerson(deps: ForgetPersonDeps, email: string): Promise<ForgetPersonResult> {
  const { prisma } = deps;
  const address = email.trim().toLowerCase();
  if (!address.includes("@")) throw new Error("forget needs an email address");

  return prisma.$transaction(
    async (tx) => {
      const leads = await tx.lead.findMany({ where: { email: address } });
      return anonymiseLeads(tx, leads, { address, everywhere: true, now: deps.now, action: "person.forgotten" });
    },
    { timeout: 60_000 },
  );
}

type Tx = Prisma.TransactionClient;
type StoredLead = Awaited<ReturnType<Tx["lead"]["findMany"]>>[number];

export interface AnonymiseOptions {
  /** `forget`: the person's address. Retention names none: each lead's own address is scrubbed from its rows. */
  address?: string;
  /**
   * `forget`: also scrub rows that merely mention the person (another lead's audit entry, a funnel reason, agendas).
   * Retention: only the given leads' own rows, so a newer lead of the same person keeps its data.
   */
  everywhere: boolean;
  /**
   * Retention: agendas of weeks that began before this date, and action items written before it, are history as old
   * as the leads: these leads' names are scrubbed from them too (newer agendas and items are left alone).
   */
  historyBefore?: Date;
  now?: () => Date;
  /** What the audit log records: `person.forgotten`, `leads.retention_anonymised`. */
  action: string;
}

/**
 * Anonymises `leads` in place inside `tx` (what goes and what stays: see the top of this file). The shared core
 * of `forget` and of the retention job (src/jobs/data-retention.ts).
 */
export async function anonymiseLeads(
  tx: Tx,
  leads: StoredLead[],
  options: AnonymiseOptions,
): Promise<ForgetPersonResult> {
  const address = options.address;
  // Also scrub what names them: their address, name and phone as they appear in messages and audit details.
  const needles = [
    ...(address ? [address] : leads.map((lead) => lead.email)),
    ...leads.flatMap((lead) => [
      [lead.firstName, lead.lastName].filter(Boolean).join(" "),
      lead.lastName ?? "",
      lead.phone ?? "",
    ]),
  ]
    .map((needle) => needle.trim())
    .filter((needle, index, all) => needle.length >= 3 && all.indexOf(needle) === index)
    // Longest first, so "Ada Lovelace" goes before "Lovelace" leaves "Ada" behind.
    .sort((a, b) => b.length - a.length);
  const leadIds = leads.map((lead) => lead.id);

  for (const lead of leads) {
    await tx.lead.update({
      where: { id: lead.id },
      data: {
        email: `erased-${lead.id}@erased.invalid`,
        firstName: null,
        lastName: null,
        company: null,
        companyDomain: null,
        title: null,
        phone: null,
        notes: null,
        rawPayload: json({ erased: true, source: lead.source, externalId: lead.externalId }),
      },
    });
  }
  await tx.offer.updateMany({
    where: { leadId: { in: leadIds }, rejectComment: { not: null } },
    data: { rejectComment: ERASED },
  });

  // Audit entries of these leads, and (forget) any other that mentions the address.
  const mentioning = async (table: string, column: string) =>
    address
      ? tx.$queryRawUnsafe<{ id: string }[]>(
          `SELECT id::text AS id FROM "${table}" WHERE ${column}::text ILIKE $1`,
          `%${address.replace(/[%_\\]/g, "\\$&")}%`,
        )
      : [];
  const auditIds = new Set([
    ...(await tx.auditLog.findMany({ where: { leadId: { in: leadIds } }, select: { id: true } })).map((r) => r.id),
    ...(options.everywhere ? await mentioning("AuditLog", "details") : []).map((row) => row.id),
  ]);
  for (const entry of await tx.auditLog.findMany({ where: { id: { in: [...auditIds] } } })) {
    const details = scrubJson(entry.details, needles) as Record<string, unknown>;
    if (typeof details === "object" && details && "comment" in details && details.comment) details.comment = ERASED;
    await tx.auditLog.update({ where: { id: entry.id }, data: { details: json(details) } });
  }
  const funnelIds = options.everywhere
    ? (await mentioning("FunnelEvent", "reason")).map((row) => row.id)
    : (
        await tx.funnelEvent.findMany({
          where: { leadId: { in: leadIds }, reason: { not: null } },
          select: { id: true },
        })
      ).map((row) => row.id);
  await tx.funnelEvent.updateMany({ where: { id: { in: funnelIds } }, data: { reason: ERASED } });

  // Outbox: card posts and updates carry the (now anonymised) card; everything else about them is replaced.
  const outboxIds = new Set([
    ...(await tx.outboxMessage.findMany({ where: { leadId: { in: leadIds } }, select: { id: true } })).map(
      (row) => row.id,
    ),
    ...(options.everywhere ? await mentioning("OutboxMessage", "payload") : []).map((row) => row.id),
  ]);
  const cards = new Map<string, ChatMessage>();
  for (const leadId of leadIds) {
    const lead = await loadLeadForCard(tx, leadId);
    if (lead) cards.set(leadId, renderLeadCard(leadCardView(lead)));
  }
  let messagesUpdated = 0;
  const stamp = (options.now?.() ?? new Date()).getTime();
  for (const message of await tx.outboxMessage.findMany({ where: { id: { in: [...outboxIds] } } })) {
    const payload = message.payload as unknown as OutboxPayload;
    const card = message.offerId && message.leadId ? cards.get(message.leadId) : undefined;
    const isCard = card && (payload.kind === "post" || payload.kind === "update");
    const replacement = isCard ? card : REMOVED_MESSAGE;
    const scrubbed = scrubJson({ ...payload, message: replacement }, needles);
    await tx.outboxMessage.update({
      where: { id: message.id },
      data: {
        payload: json(scrubbed),
        lastError: message.lastError ? scrubText(message.lastError, needles) : null,
      },
    });
    // A direct message already sent: edit it in place. Cards are re-rendered below, per offer.
    const sentRef = message.result as unknown as MessageRef | null;
    if (!isCard && message.status === "sent" && sentRef?.messageId) {
      await enqueueOutbox(tx, {
        idempotencyKey: `forget:${message.id}:${stamp}`,
        conversation: sentRef.conversation,
        payload: { kind: "update", ref: sentRef, message: REMOVED_MESSAGE },
      });
      messagesUpdated++;
    }
  }
  // Every posted card of these leads, shown anonymised.
  const offers = await tx.offer.findMany({ where: { leadId: { in: leadIds }, messageRef: { not: null } } });
  for (const offer of offers) {
    const card = cards.get(offer.leadId);
    if (!card || !offer.messageRef) continue;
    await enqueueOutbox(tx, {
      idempotencyKey: `forget:${offer.id}:${stamp}:card`,
      conversation: offer.conversation,
      payload: {
        kind: "update",
        ref: { conversation: offer.conversation, messageId: offer.messageRef },
        message: card,
      },
      leadId: offer.leadId,
      offerId: offer.id,
    });
    messagesUpdated++;
  }

  const before = options.everywhere ? undefined : options.historyBefore;
  if (options.everywhere || before) {
    const agendas = await tx.weeklyAgenda.findMany(before ? { where: { weekStart: { lt: before } } } : undefined);
    for (const agenda of agendas) {
      const content = scrubJson(agenda.content, needles);
      if (JSON.stringify(content) !== JSON.stringify(agenda.content)) {
        await tx.weeklyAgenda.update({ where: { id: agenda.id }, data: { content: json(content) } });
      }
    }
    const items = await tx.actionItem.findMany(before ? { where: { createdAt: { lt: before } } } : undefined);
    for (const item of items) {
      const text = scrubText(item.text, needles);
      if (text !== item.text) await tx.actionItem.update({ where: { id: item.id }, data: { text } });
    }
  }
  await tx.auditLog.create({
    data: { actor: "system", action: options.action, details: json({ leads: leadIds.length }) },
  });
  return { leads: leads.length, messagesUpdated };
}
