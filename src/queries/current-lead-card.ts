/** The card of a lead as it stands now, and where it lives (to re-render it after a refused click or an error). */
import type { ChatMessage } from "../domain/chat-message.ts";
import type { LeadCardView } from "../domain/lead-card.ts";
import { isLeadId } from "../domain/leads/lead-id.ts";
import type { CardLocation } from "../handoff/handoff-types.ts";
import { loadLeadForCard, renderLeadForCard } from "../handoff/lead-card-view.ts";
import type { Db } from "../repositories/outbox.ts";

export async function currentLeadCard(
  db: Db,
  leadId: string,
): Promise<{ card: LeadCardView; message: ChatMessage; location: CardLocation } | null> {
  if (!isLeadId(leadId)) return null;
  const lead = await loadLeadForCard(db, leadId);
  return lead ? renderLeadForCard(lead) : null;
}
