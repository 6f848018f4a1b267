/**
 * What the chat adapters ask of the handoff, and what they get back. Both Slack and Teams call the same
 * {@link HandoffService}; each renders the result its own way (ephemeral reply, updated card, modal error).
 */
import type { ChatMessage, ConversationId } from "../domain/chat-message.ts";
import type { LeadCardView, RejectReasonCode } from "../domain/lead-card.ts";
import type { DealField, DealOutcomeInput } from "../domain/leads/deal-outcome.ts";
import type { DealOutcomeStep } from "../domain/leads/lifecycle.ts";

/** The person who clicked or typed, platform-namespaced: `slack:U0123`, `teams:<aad object id>`. */
export interface Actor {
  user: ConversationId;
  /** As the platform showed it, for people Baton does not know as reps. */
  displayName?: string;
}

/** Where the lead's card lives, for adapters that update it in place (Teams invoke responses). */
export interface CardLocation {
  conversation: ConversationId;
  messageRef: string | null;
}

export type AcceptResult =
  | { outcome: "accepted"; card: LeadCardView; message: ChatMessage; location: CardLocation; ownerName: string }
  | { outcome: "already_decided"; card: LeadCardView; message: ChatMessage; reply: ChatMessage }
  | { outcome: "refused"; reply: ChatMessage }
  | { outcome: "not_found"; reply: ChatMessage };

export interface RejectInput {
  reason: RejectReasonCode;
  comment?: string;
}

export type RejectResult =
  | {
      outcome: "rejected";
      card: LeadCardView;
      message: ChatMessage;
      location: CardLocation;
      /** Set when "wrong territory" sent the lead on to another team. */
      reroutedToTeam?: string;
    }
  | { outcome: "already_decided"; card: LeadCardView; message: ChatMessage; reply: ChatMessage }
  | { outcome: "refused"; reply: ChatMessage }
  | { outcome: "not_found"; reply: ChatMessage }
  /** Field errors keyed `reason` / `comment`, for the modal or the card form. */
  | { outcome: "invalid"; errors: Record<string, string> };

export type LeadStep = "first_touch" | "sql" | "disqualified";

export type StepResult =
  | { outcome: "recorded"; card: LeadCardView; message: ChatMessage; location: CardLocation }
  | { outcome: "refused"; reply: ChatMessage }
  | { outcome: "not_found"; reply: ChatMessage };

/** May this person take this deal step on the card now? Asked before showing the amount or reason form. */
export type DealOutcomeCheck =
  | { outcome: "allowed"; card: LeadCardView; message: ChatMessage; location: CardLocation }
  | { outcome: "refused"; reply: ChatMessage }
  | { outcome: "not_found"; reply: ChatMessage };

export type DealOutcomeResult =
  | StepResult
  /** Field errors keyed `amount` / `currency` / `reason`, for the modal or the card form. */
  | { outcome: "invalid"; errors: Partial<Record<DealField, string>> };

export interface HandoffService {
  /** Race-safe: of two simultaneous accepts exactly one wins; the other gets `already_decided`. */
  acceptLead(leadId: string, actor: Actor): Promise<AcceptResult>;
  rejectLead(leadId: string, actor: Actor, input: RejectInput): Promise<RejectResult>;
  /** After accept: log first touch, mark SQL, disqualify (owner or team members only). */
  recordStep(leadId: string, actor: Actor, step: LeadStep): Promise<StepResult>;
  /** Whether `actor` may open an opportunity / mark won / mark lost now (the checks of {@link recordDealOutcome}). */
  checkDealOutcome(leadId: string, actor: Actor, step: DealOutcomeStep): Promise<DealOutcomeCheck>;
  /**
   * A deal outcome from the card (owner or team members only, once the lead is an SQL): the same funnel event, Deal
   * row and card update as the CRM webhook's.
   */
  recordDealOutcome(
    leadId: string,
    actor: Actor,
    step: DealOutcomeStep,
    input: DealOutcomeInput,
  ): Promise<DealOutcomeResult>;
  /** The current card of a lead (e.g. to re-render after a platform error). */
  currentCard(leadId: string): Promise<{ card: LeadCardView; message: ChatMessage; location: CardLocation } | null>;
}
