/**
 * The deal outcome modal's submission. As for the reject modal, the answer waits for the handoff: a bad amount or
 * a missing reason comes back as the modal's own field error (`response_action: "errors"`).
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { DEAL_FIELDS, DEAL_OUTCOME_FORM } from "../../../domain/leads/deal-outcome.ts";
import { parseDealOutcomeModalContext, readDealOutcomeSubmission } from "../../deal-outcome-modal.ts";
import { type SlackListenerDeps, slackActor, tellUser } from "../listener-deps.ts";

const TRY_AGAIN = "Baton couldn't save this just now. Please try again in a moment.";

export function submitDealOutcome(deps: SlackListenerDeps) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const context = parseDealOutcomeModalContext(view.private_metadata);
    // Without a readable context there is no knowing which field is on the form: the reason block or the amount's.
    const firstField = (asks: "amount" | "reason" | undefined) =>
      asks === "reason" ? DEAL_FIELDS.reason : DEAL_FIELDS.amount;
    if (!context) {
      const stale = "This form is out of date: close it and click the button on the card again.";
      await ack({ response_action: "errors", errors: { [DEAL_FIELDS.amount]: stale, [DEAL_FIELDS.reason]: stale } });
      return;
    }
    const asks = DEAL_OUTCOME_FORM[context.step].asks;
    const channel = context.conversation?.startsWith("slack:")
      ? context.conversation.slice("slack:".length)
      : undefined;
    const target = { user: body.user.id, channel };
    let result: Awaited<ReturnType<typeof deps.handoff.recordDealOutcome>>;
    try {
      result = await deps.handoff.recordDealOutcome(
        context.leadId,
        slackActor(body.user),
        context.step,
        readDealOutcomeSubmission(view.state.values),
      );
    } catch (error) {
      deps.logger.error({ err: error, leadId: context.leadId }, "Slack deal outcome submission failed");
      // Keep the modal open with what they typed, so they can submit again.
      await ack({ response_action: "errors", errors: { [firstField(asks)]: TRY_AGAIN } });
      return;
    }
    if (result.outcome === "invalid") {
      await ack({ response_action: "errors", errors: result.errors as Record<string, string> });
      return;
    }
    // Closes the modal. Recorded: the card update is already in the outbox.
    await ack();
    if (result.outcome !== "recorded") await tellUser(deps, target, result.reply);
  };
}
