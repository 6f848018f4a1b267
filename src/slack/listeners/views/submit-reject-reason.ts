/**
 * The reject modal's submission. Unlike button clicks, the answer must wait for the handoff: a missing comment
 * has to come back as the modal's own field error (`response_action: "errors"`), which only the ack can carry.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { parseRejectModalContext, REJECT_FIELDS, readRejectSubmission } from "../../reject-modal.ts";
import { type SlackListenerDeps, slackActor, tellUser } from "../listener-deps.ts";

const TRY_AGAIN = "Baton couldn't save this just now. Please try again in a moment.";

export function submitRejectReason(deps: SlackListenerDeps) {
  return async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const context = parseRejectModalContext(view.private_metadata);
    if (!context) {
      await ack({
        response_action: "errors",
        errors: { [REJECT_FIELDS.reason]: "This form is out of date: close it and click Reject on the card again." },
      });
      return;
    }
    const channel = context.conversation?.startsWith("slack:")
      ? context.conversation.slice("slack:".length)
      : undefined;
    const target = { user: body.user.id, channel };
    let result: Awaited<ReturnType<typeof deps.handoff.rejectLead>>;
    try {
      result = await deps.handoff.rejectLead(
        context.leadId,
        slackActor(body.user),
        readRejectSubmission(view.state.values),
      );
    } catch (error) {
      deps.logger.error({ err: error, leadId: context.leadId }, "Slack reject submission failed");
      // Keep the modal open with what they wrote, so nothing is lost and they can submit again.
      await ack({ response_action: "errors", errors: { [REJECT_FIELDS.reason]: TRY_AGAIN } });
      return;
    }
    if (result.outcome === "invalid") {
      const errors: Record<string, string> = {};
      for (const [field, message] of Object.entries(result.errors)) {
        const blockId = field === REJECT_FIELDS.comment ? REJECT_FIELDS.comment : REJECT_FIELDS.reason;
        errors[blockId] = errors[blockId] ? `${errors[blockId]} ${message}` : message;
      }
      await ack({ response_action: "errors", errors });
      return;
    }
    // Closes the modal. Rejected: the card update and marketing's feedback are already in the outbox.
    await ack();
    if (result.outcome !== "rejected") await tellUser(deps, target, result.reply);
  };
}
