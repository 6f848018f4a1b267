/**
 * The "Add to agenda" message shortcut: opens the modal with the message's text as the item, the agenda of the
 * channel's team (else the joint one) chosen, and the message remembered for the item's link back to it.
 */
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { ACTION_ITEMS_OFF } from "../../../domain/agenda/action-item-messages.ts";
import { buildAddToAgendaModal, plainMessageText } from "../../agenda-action-modal.ts";
import { reportFailure, type SlackListenerDeps, tellUser } from "../listener-deps.ts";

export function addToAgenda(deps: SlackListenerDeps) {
  return async ({ ack, shortcut, client }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs) => {
    await ack();
    const target = { user: shortcut.user.id, channel: shortcut.channel?.id };
    const { actionItems } = deps;
    if (!actionItems) {
      await tellUser(deps, target, { text: ACTION_ITEMS_OFF, blocks: [{ type: "text", text: ACTION_ITEMS_OFF }] });
      return;
    }
    try {
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: buildAddToAgendaModal(
          {
            channel: shortcut.channel.id,
            messageTs: shortcut.message.ts ?? shortcut.message_ts,
            ...(shortcut.team?.domain ? { teamDomain: shortcut.team.domain } : {}),
          },
          {
            text: plainMessageText(shortcut.message.text),
            scopes: actionItems.scopes(),
            initialScope: actionItems.scopeForConversation(`slack:${shortcut.channel.id}`).id,
          },
        ),
      });
    } catch (error) {
      await reportFailure(deps, target, error, "add-to-agenda modal");
    }
  };
}
