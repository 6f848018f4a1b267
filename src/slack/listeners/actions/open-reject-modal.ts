/**
 * The card's Reject button: opens the reason modal. A lead someone already took gets an answer at once, rather
 * than after the rejecter has written their reason.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { alreadyDecidedReply } from "../../../domain/handoff/handoff-messages.ts";
import { personAndCompany } from "../../../domain/lead-card.ts";
import { buildRejectModal } from "../../reject-modal.ts";
import { reportFailure, type SlackListenerDeps, tellUser } from "../listener-deps.ts";

export function openRejectModal(deps: SlackListenerDeps) {
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
      const current = await deps.handoff.currentCard(leadId).catch((error: unknown) => {
        // The modal can still be opened; the submission will be checked again anyway.
        deps.logger.warn({ err: error, leadId }, "could not look up the lead before opening the reject modal");
        return undefined;
      });
      if (current && current.card.status !== "offered" && current.card.status !== "new") {
        await tellUser(deps, target, alreadyDecidedReply(current.card));
        return;
      }
      const title = current ? personAndCompany(current.card) : undefined;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildRejectModal(
          { leadId, conversation: body.channel ? `slack:${body.channel.id}` : undefined, messageTs: body.message?.ts },
          title,
        ),
      });
    } catch (error) {
      await reportFailure(deps, target, error, "reject modal");
    }
  };
}
