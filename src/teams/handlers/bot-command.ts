/**
 * Messages to the bot (in a channel after an @mention, or in a personal chat): the same commands as Slack's
 * `/baton`, read by the shared grammar and answered as a card.
 */
import { type TurnContext, TurnContext as TurnContextClass } from "botbuilder";
import { cardActivity } from "../teams-chat.ts";
import type { TeamsHandlerDeps } from "./handler-deps.ts";

/** The text of a message to the bot, without the @mention and the HTML non-breaking space Teams puts after it. */
export function commandTextOf(context: TurnContext): string {
  const withoutMention = TurnContextClass.removeRecipientMention(context.activity) ?? context.activity.text ?? "";
  return withoutMention.replaceAll("&nbsp;", " ").trim();
}

export async function handleMessage(deps: TeamsHandlerDeps, context: TurnContext): Promise<void> {
  const from = context.activity.from;
  // Admin rights and rep lookups go by Entra object id; a sender without one can still ask for help.
  const actor = `teams:${from?.aadObjectId ?? from?.id ?? "unknown"}`;
  const reply = await deps.answerCommand(commandTextOf(context), actor);
  await context.sendActivity(cardActivity(reply));
}
