/**
 * A click on a card's button in the playground, as a rep the person picked: the same {@link HandoffService} calls a
 * Slack click or a Teams invoke makes, with the rep as the actor (`console:<rep id>`, as local mode's keyboard).
 */
import { LEAD_ACTIONS, REJECT_REASONS, type RejectReasonCode } from "../domain/lead-card.ts";
import { DEAL_OUTCOME_STEPS, type DealOutcomeStep } from "../domain/leads/lifecycle.ts";
import { AppError } from "../errors.ts";
import type { Actor, HandoffService, LeadStep } from "../handoff/handoff-types.ts";
import { type AdaptiveCard, renderDealOutcomeForm, renderRejectForm } from "../teams/render-adaptive-card.ts";

export interface CardClick {
  action: string;
  leadId: string;
  rep: { id: string; name: string };
  /** Only for a reject: absent on the first click, which asks for the reason. */
  reason?: string;
  comment?: string;
  /** Only for opportunity / won / lost from the Teams view: the deal form's fields (`reason` above for lost). */
  deal?: { amount?: string; currency?: string; submitted: boolean };
  /** Teams asks for the reason on the card itself; Slack in a modal the page shows. */
  view: "slack" | "teams";
}

export type CardClickAnswer =
  | { status: "done"; notice: string }
  /** The handoff said no (not in the team, already decided, …): what Slack shows ephemerally. */
  | { status: "refused"; notice: string }
  | { status: "reason_needed"; rejectForm?: AdaptiveCard }
  | { status: "invalid"; errors: Record<string, string>; rejectForm?: AdaptiveCard };

const STEPS: Record<string, LeadStep> = {
  [LEAD_ACTIONS.firstTouch]: "first_touch",
  [LEAD_ACTIONS.markSql]: "sql",
  [LEAD_ACTIONS.disqualify]: "disqualified",
};

const DEAL_ACTIONS: Record<string, DealOutcomeStep> = Object.fromEntries(
  DEAL_OUTCOME_STEPS.map((step) => [LEAD_ACTIONS[step], step]),
);

const isReason = (value: unknown): value is RejectReasonCode => REJECT_REASONS.some((reason) => reason.code === value);

export async function actOnCard(handoff: HandoffService, click: CardClick): Promise<CardClickAnswer> {
  const actor: Actor = { user: `console:${click.rep.id}`, displayName: click.rep.name };
  if (click.action === LEAD_ACTIONS.accept) {
    const result = await handoff.acceptLead(click.leadId, actor);
    return result.outcome === "accepted"
      ? { status: "done", notice: `Accepted by ${result.ownerName}.` }
      : { status: "refused", notice: result.reply.text };
  }
  if (click.action === LEAD_ACTIONS.reject) return reject(handoff, click, actor);
  const dealStep = Object.hasOwn(DEAL_ACTIONS, click.action) ? DEAL_ACTIONS[click.action] : undefined;
  if (dealStep) return dealOutcome(handoff, click, actor, dealStep);
  const step = STEPS[click.action];
  if (!step) throw new AppError("INVALID_INPUT", { message: `Unknown card action "${click.action}".` });
  const result = await handoff.recordStep(click.leadId, actor, step);
  return result.outcome === "recorded"
    ? { status: "done", notice: "Recorded." }
    : { status: "refused", notice: result.reply.text };
}

async function reject(handoff: HandoffService, click: CardClick, actor: Actor): Promise<CardClickAnswer> {
  const formFor = async (values?: { reason?: string; comment?: string }, errors?: Record<string, string>) => {
    if (click.view !== "teams") return undefined;
    const current = await handoff.currentCard(click.leadId);
    return current ? renderRejectForm(current.message, { leadId: click.leadId, values, errors }) : undefined;
  };
  if (!click.reason) return { status: "reason_needed", rejectForm: await formFor() };
  const values = { reason: click.reason, comment: click.comment };
  if (!isReason(click.reason)) {
    const errors = { reason: "Choose a reason." };
    return { status: "invalid", errors, rejectForm: await formFor(values, errors) };
  }
  const result = await handoff.rejectLead(click.leadId, actor, { reason: click.reason, comment: click.comment });
  switch (result.outcome) {
    case "rejected":
      return {
        status: "done",
        notice: `Rejected.${result.reroutedToTeam ? ` Re-routed to ${result.reroutedToTeam}.` : ""}`,
      };
    case "invalid":
      return { status: "invalid", errors: result.errors, rejectForm: await formFor(values, result.errors) };
    default:
      return { status: "refused", notice: result.reply.text };
  }
}

/**
 * Opportunity / won / lost. The Teams view shows the deal form on the card, as Teams does; the page has no modal
 * for Slack's, so the Slack view points at the command that does the same.
 */
async function dealOutcome(
  handoff: HandoffService,
  click: CardClick,
  actor: Actor,
  step: DealOutcomeStep,
): Promise<CardClickAnswer> {
  if (click.view !== "teams") {
    const tail = step === "lost" ? "<reason>" : "<amount> [currency]";
    return {
      status: "refused",
      notice: `Slack asks for this in a modal: here, type \`${step} ${click.leadId} as ${click.rep.id} ${tail}\` in the command box, or use the Teams view.`,
    };
  }
  if (!click.deal?.submitted) {
    const check = await handoff.checkDealOutcome(click.leadId, actor, step);
    if (check.outcome !== "allowed") return { status: "refused", notice: check.reply.text };
    return {
      status: "reason_needed",
      rejectForm: renderDealOutcomeForm(check.message, { leadId: click.leadId, step }),
    };
  }
  const values = { amount: click.deal.amount, currency: click.deal.currency, reason: click.reason };
  const result = await handoff.recordDealOutcome(click.leadId, actor, step, values);
  if (result.outcome === "recorded") return { status: "done", notice: "Recorded." };
  if (result.outcome === "invalid") {
    const current = await handoff.currentCard(click.leadId);
    const errors = result.errors as Record<string, string>;
    return {
      status: "invalid",
      errors,
      rejectForm: current
        ? renderDealOutcomeForm(current.message, { leadId: click.leadId, step, values, errors: result.errors })
        : undefined,
    };
  }
  return { status: "refused", notice: result.reply.text };
}
