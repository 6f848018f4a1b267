/** `lead <email or id>`: where a lead stands — status, owner, SLA clocks, recent history. */
import type { ChatMessage } from "../domain/chat-message.ts";
import { withoutMailto } from "../domain/commands/command-grammar.ts";
import { leadDetailsMessage, leadNotFoundReply, unreadableQueryReply } from "../domain/handoff/handoff-messages.ts";
import { isLeadId } from "../domain/leads/lead-id.ts";
import { unstorableTextReason } from "../domain/storable-input.ts";
import { leadCardView, loadLeadForCard } from "../handoff/lead-card-view.ts";
import type { Db } from "../repositories/outbox.ts";

export async function describeLead(db: Db, query: string): Promise<ChatMessage> {
  const trimmed = withoutMailto(query.trim());
  // PostgreSQL refuses some text (a NUL byte, a lone surrogate): say so rather than "try again" forever.
  if (unstorableTextReason(trimmed)) return unreadableQueryReply();
  const leadId = isLeadId(trimmed)
    ? trimmed
    : (
        await db.lead.findFirst({
          where: { email: trimmed.toLowerCase(), duplicateOfId: null },
          orderBy: { receivedAt: "desc" },
          select: { id: true },
        })
      )?.id;
  const lead = leadId ? await loadLeadForCard(db, leadId) : null;
  if (!lead) return leadNotFoundReply(trimmed);
  // Sequential: `db` may be a transaction, one connection that takes one query at a time.
  const clocks = await db.slaClock.findMany({ where: { leadId: lead.id }, orderBy: { startedAt: "asc" } });
  const history = await db.auditLog.findMany({ where: { leadId: lead.id }, orderBy: { at: "desc" }, take: 10 });
  const duplicates = await db.lead.count({ where: { duplicateOfId: lead.id } });
  return leadDetailsMessage({
    view: leadCardView(lead),
    status: lead.status,
    receivedAt: lead.receivedAt,
    clocks,
    history: history.reverse().map((entry) => ({ at: entry.at, actor: entry.actor, action: entry.action })),
    duplicates,
  });
}
