/** The next-step buttons on an accepted card: log first touch, mark SQL, disqualify. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { LeadStep } from "../../../handoff/handoff-types.ts";
import { reportFailure, type SlackListenerDeps, slackActor, tellUser } from "../listener-deps.ts";

export function recordLeadStep(deps: SlackListenerDeps, step: LeadStep) {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const target = { user: body.user.id, channel: body.channel?.id };
    try {
      const result = await deps.handoff.recordStep(action.value ?? "", slackActor(body.user), step);
      // Recorded: the updated card is on its way through the outbox.
      if (result.outcome !== "recorded") await tellUser(deps, target, result.reply);
    } catch (error) {
      await reportFailure(deps, target, error, `lead step ${step}`);
    }
  };
}
