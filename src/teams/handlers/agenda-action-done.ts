/**
 * `adaptiveCard/action` with `verb: "agenda_action_done"` and `data: { actionItemId }`: a tick in the agenda's card.
 * The item is marked done by the clicking user (anyone in an allowed tenant may tick, as in the meeting); the
 * invoke is answered with a message naming the item, also when it was already done or is no longer known.
 */
import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from "botbuilder";
import { ACTION_ITEMS_OFF } from "../../domain/agenda/action-item-messages.ts";
import { AppError } from "../../errors.ts";
import { messageResponse } from "./card-action.ts";
import { type TeamsHandlerDeps, teamsActor } from "./handler-deps.ts";

export async function handleAgendaActionDone(
  deps: TeamsHandlerDeps,
  context: TurnContext,
  invoke: AdaptiveCardInvokeValue,
): Promise<AdaptiveCardInvokeResponse> {
  const data = (invoke.action?.data ?? {}) as Record<string, unknown>;
  const id = typeof data.actionItemId === "string" ? data.actionItemId.trim() : "";
  const actor = teamsActor(context.activity.from);
  if (!deps.actionItems) return messageResponse(ACTION_ITEMS_OFF);
  if (!id) return messageResponse("This checkbox is missing its action item. See action list.");
  if (!actor) return messageResponse("Baton could not tell who you are in Teams, so it changed nothing.");
  try {
    const { reply } = await deps.actionItems.markDone(id, actor.user);
    return messageResponse(reply.text);
  } catch (error) {
    deps.logger.error({ err: error, actionItemId: id }, "Teams agenda tick failed");
    return messageResponse(AppError.from(error).userMessage);
  }
}
