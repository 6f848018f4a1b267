/** Baton's Teams activity handler: remembers conversations, answers messages, and handles card clicks. */
import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  TeamsActivityHandler,
  type TurnContext,
} from "botbuilder";
import { AGENDA_ACTION_DONE } from "../domain/agenda/action-item-messages.ts";
import { handleAgendaActionDone } from "./handlers/agenda-action-done.ts";
import { handleMessage } from "./handlers/bot-command.ts";
import { handleCardAction } from "./handlers/card-action.ts";
import type { TeamsHandlerDeps } from "./handlers/handler-deps.ts";
import { rememberConversation, StoredConversations } from "./handlers/remember-conversation.ts";

export class BatonTeamsBot extends TeamsActivityHandler {
  private readonly storedConversations = new StoredConversations();

  constructor(private readonly deps: TeamsHandlerDeps) {
    super();
    this.onMessage(async (context, next) => {
      await handleMessage(deps, context);
      await next();
    });
  }

  /** Every activity refreshes its conversation's reference before it is handled. */
  override async run(context: TurnContext): Promise<void> {
    try {
      await rememberConversation(this.deps, context, this.storedConversations);
    } catch (error) {
      // A click must still work when the reference cannot be saved; the next activity tries again.
      this.deps.logger.warn({ err: error }, "could not store the Teams conversation reference");
    }
    await super.run(context);
  }

  protected override onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    if (invokeValue.action?.verb === AGENDA_ACTION_DONE) return handleAgendaActionDone(this.deps, context, invokeValue);
    return handleCardAction(this.deps, context, invokeValue);
  }
}
