/**
 * `/baton …`: read by the grammar every platform shares, answered privately (ephemeral). A quick answer rides on
 * the acknowledgement itself; one that takes longer is acknowledged first and sent through the response URL, so
 * Slack's 3-second deadline is always met.
 */
import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { ChatMessage } from "../../../domain/chat-message.ts";
import { renderBlocks } from "../../render-blocks.ts";
import type { SlackListenerDeps } from "../listener-deps.ts";

/** How long an answer may take and still ride on the acknowledgement. */
const ANSWER_ON_ACK_MS = 1_500;

const ephemeral = (reply: ChatMessage): RespondArguments => ({ response_type: "ephemeral", ...renderBlocks(reply) });

export function batonCommand(deps: SlackListenerDeps) {
  return async ({ ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const answer = deps.answerCommand(command.text ?? "", `slack:${command.user_id}`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ANSWER_ON_ACK_MS);
    });
    const quick = await Promise.race([answer, late]).finally(() => clearTimeout(timer));
    if (quick) {
      await ack(ephemeral(quick));
      return;
    }
    await ack();
    await respond(ephemeral(await answer)).catch((failure: unknown) =>
      deps.logger.warn({ err: failure, user: command.user_id }, "could not answer /baton"),
    );
  };
}
