/**
 * The card's Accept button. The handoff decides (race-safe: of two clicks one wins); the card update and the new
 * owner's DM are already in the outbox when it returns, so this only answers those who did not get the lead.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { reportFailure, type SlackListenerDeps, slackActor, tellUser } from "../listener-deps.ts";

export function acceptLead(deps: SlackListenerDeps) {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const target = { user: body.user.id, channel: body.channel?.id };
    try {
      const result = await deps.handoff.acceptLead(action.value ?? "", slackActor(body.user));
      if (result.outcome !== "accepted") await tellUser(deps, target, result.reply);
    } catch (error) {
      await reportFailure(deps, target, error, "accept");
    }
  };
}
