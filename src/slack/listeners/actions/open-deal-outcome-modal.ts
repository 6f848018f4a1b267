/**
 * The card's "Opportunity", "Won" and "Lost" buttons: open the modal asking for the amount or the reason. Someone
 * outside the lead's team, or a lead not at that stage, hears why at once (the lifecycle's words), rather than
 * after filling in the form.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { personAndCompany } from "../../../domain/lead-card.ts";
import type { DealOutcomeStep } from "../../../domain/leads/lifecycle.ts";
import { buildDealOutcomeModal } from "../../deal-outcome-modal.ts";
import { reportFailure, type SlackListenerDeps, slackActor, tellUser } from "../listener-deps.ts";

export function openDealOutcomeModal(deps: SlackListenerDeps, step: DealOutcomeStep) {
  return async ({
    ack,
    body,
    action,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const target = { user: body.user.id, channel: body.channel?.id };
    const leadId = action.value ?? "";
    try {
      const check = await deps.handoff.checkDealOutcome(leadId, slackActor(body.user), step);
      if (check.outcome !== "allowed") {
        await tellUser(deps, target, check.reply);
        return;
      }
      const title = personAndCompany(check.card);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildDealOutcomeModal(
          { leadId, step, conversation: body.channel ? `slack:${body.channel.id}` : undefined },
          title,
        ),
      });
    } catch (error) {
      await reportFailure(deps, target, error, `${step} modal`);
    }
  };
}
