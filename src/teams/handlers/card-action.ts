/**
 * `adaptiveCard/action`: a click on a lead card's `Action.Execute`. The handoff decides; the invoke response is the
 * card as it now stands, which Teams shows in place of the old one for everyone in the conversation.
 */
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from "botbuilder";
import type { ChatMessage } from "../../domain/chat-message.ts";
import { LEAD_ACTIONS, REJECT_REASONS, type RejectReasonCode } from "../../domain/lead-card.ts";
import type { DealOutcomeInput } from "../../domain/leads/deal-outcome.ts";
import type { DealOutcomeStep } from "../../domain/leads/lifecycle.ts";
import { AppError } from "../../errors.ts";
import type { Actor, LeadStep } from "../../handoff/handoff-types.ts";
import {
  type AdaptiveCard,
  DEAL_FORM_SUBMITTED,
  LEAD_REFRESH_VERB,
  renderAdaptiveCard,
  renderDealOutcomeForm,
  renderRejectForm,
} from "../render-adaptive-card.ts";
import { type TeamsHandlerDeps, teamsActor } from "./handler-deps.ts";

const STEP_VERBS: Record<string, LeadStep> = {
  [LEAD_ACTIONS.firstTouch]: "first_touch",
  [LEAD_ACTIONS.markSql]: "sql",
  [LEAD_ACTIONS.disqualify]: "disqualified",
};

const DEAL_VERBS: Record<string, DealOutcomeStep> = {
  [LEAD_ACTIONS.opportunity]: "opportunity",
  [LEAD_ACTIONS.won]: "won",
  [LEAD_ACTIONS.lost]: "lost",
};

export function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card as never };
}

/** A plain message in place of a card: for when there is no card to show. */
export function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: text as never };
}

function isReason(value: unknown): value is RejectReasonCode {
  return REJECT_REASONS.some((reason) => reason.code === value);
}

export async function handleCardAction(
  deps: TeamsHandlerDeps,
  context: TurnContext,
  invoke: AdaptiveCardInvokeValue,
): Promise<AdaptiveCardInvokeResponse> {
  const verb = invoke.action?.verb ?? "";
  const data = (invoke.action?.data ?? {}) as Record<string, unknown>;
  const leadId = typeof data.leadId === "string" ? data.leadId : "";
  const actor = teamsActor(context.activity.from);
  if (!leadId) return messageResponse("This card is missing its lead. Ask Baton with `lead <email>`.");
  if (!actor) return messageResponse("Baton could not tell who you are in Teams, so it changed nothing.");
  try {
    return await dispatch(deps, verb, leadId, actor, data);
  } catch (error) {
    deps.logger.error({ err: error, verb, leadId }, "Teams card action failed");
    return withNotice(deps, leadId, AppError.from(error).userMessage);
  }
}

async function dispatch(
  deps: TeamsHandlerDeps,
  verb: string,
  leadId: string,
  actor: Actor,
  data: Record<string, unknown>,
): Promise<AdaptiveCardInvokeResponse> {
  const { handoff } = deps;
  if (verb === LEAD_ACTIONS.accept) {
    const result = await handoff.acceptLead(leadId, actor);
    if (result.outcome === "accepted") return cardResponse(renderAdaptiveCard(result.message));
    return refusal(deps, leadId, result.reply, "message" in result ? result.message : undefined);
  }
  if (verb === LEAD_ACTIONS.reject) return reject(deps, leadId, actor, data);
  const step = STEP_VERBS[verb];
  if (step) {
    const result = await handoff.recordStep(leadId, actor, step);
    if (result.outcome === "recorded") return cardResponse(renderAdaptiveCard(result.message));
    return refusal(deps, leadId, result.reply);
  }
  const dealStep = DEAL_VERBS[verb];
  if (dealStep) return dealOutcome(deps, leadId, actor, dealStep, data);
  if (verb === LEAD_REFRESH_VERB) {
    const current = await handoff.currentCard(leadId);
    return current ? cardResponse(renderAdaptiveCard(current.message)) : messageResponse("Baton has no such lead.");
  }
  return withNotice(deps, leadId, "Baton does not know this button. The card below is the lead as it stands.");
}

/** First click: the form. Submitted with a reason: the rejection, or the form again with what is wrong. */
async function reject(
  deps: TeamsHandlerDeps,
  leadId: string,
  actor: Actor,
  data: Record<string, unknown>,
): Promise<AdaptiveCardInvokeResponse> {
  const reason = typeof data.reason === "string" ? data.reason.trim() : "";
  const comment = typeof data.comment === "string" ? data.comment.trim() : "";
  if (!reason) {
    const current = await deps.handoff.currentCard(leadId);
    if (!current) return messageResponse("Baton has no such lead.");
    // Decided meanwhile: the card as it now stands, rather than a form that can only fail.
    if (current.card.status !== "offered" && current.card.status !== "new") {
      return cardResponse(renderAdaptiveCard(current.message));
    }
    return cardResponse(renderRejectForm(current.message, { leadId }));
  }
  if (!isReason(reason)) {
    return rejectFormWithErrors(deps, leadId, { reason: "Choose one of the listed reasons." }, { comment });
  }
  const result = await deps.handoff.rejectLead(leadId, actor, { reason, ...(comment ? { comment } : {}) });
  switch (result.outcome) {
    case "rejected":
      return cardResponse(renderAdaptiveCard(result.message));
    case "invalid":
      return rejectFormWithErrors(deps, leadId, result.errors, { reason, comment });
    case "already_decided":
      return refusal(deps, leadId, result.reply, result.message);
    default:
      return refusal(deps, leadId, result.reply);
  }
}

/** First click: the form (amount, or reason), or why not. Submitted: the deal recorded, or the form with what is wrong. */
async function dealOutcome(
  deps: TeamsHandlerDeps,
  leadId: string,
  actor: Actor,
  step: DealOutcomeStep,
  data: Record<string, unknown>,
): Promise<AdaptiveCardInvokeResponse> {
  if (data.form !== DEAL_FORM_SUBMITTED) {
    const check = await deps.handoff.checkDealOutcome(leadId, actor, step);
    if (check.outcome !== "allowed") return refusal(deps, leadId, check.reply);
    return cardResponse(renderDealOutcomeForm(check.message, { leadId, step }));
  }
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const values: DealOutcomeInput = {
    amount: text(data.amount),
    currency: text(data.currency),
    reason: text(data.reason),
  };
  const result = await deps.handoff.recordDealOutcome(leadId, actor, step, values);
  switch (result.outcome) {
    case "recorded":
      return cardResponse(renderAdaptiveCard(result.message));
    case "invalid": {
      const current = await deps.handoff.currentCard(leadId);
      if (!current) return messageResponse("Baton has no such lead.");
      return cardResponse(renderDealOutcomeForm(current.message, { leadId, step, values, errors: result.errors }));
    }
    default:
      return refusal(deps, leadId, result.reply);
  }
}

async function rejectFormWithErrors(
  deps: TeamsHandlerDeps,
  leadId: string,
  errors: Record<string, string>,
  values: { reason?: string; comment?: string },
): Promise<AdaptiveCardInvokeResponse> {
  const current = await deps.handoff.currentCard(leadId);
  if (!current) return messageResponse("Baton has no such lead.");
  return cardResponse(renderRejectForm(current.message, { leadId, errors, values }));
}

/** The click did not go through: the card as it stands, with why on top. */
async function refusal(
  deps: TeamsHandlerDeps,
  leadId: string,
  reply: ChatMessage,
  card?: ChatMessage,
): Promise<AdaptiveCardInvokeResponse> {
  if (card) return cardResponse(renderAdaptiveCard(card, { notice: reply.text }));
  return withNotice(deps, leadId, reply.text);
}

async function withNotice(deps: TeamsHandlerDeps, leadId: string, notice: string) {
  const current = await deps.handoff.currentCard(leadId).catch(() => null);
  return current ? cardResponse(renderAdaptiveCard(current.message, { notice })) : messageResponse(notice);
}
