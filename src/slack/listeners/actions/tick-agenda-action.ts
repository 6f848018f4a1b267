/**
 * The agenda's checkboxes (`action_id: "agenda_action_done"`, each option's value an action item id). Slack sends
 * the element's selected options after every click: a selected item is marked done (by whoever clicked), an
 * option of the same element left unselected is reopened. Anyone in the workspace may tick, as in the meeting.
 * Already as asked (a redelivery, two people ticking at once) changes nothing; the clicker is told privately what
 * changed, and which items Baton no longer has.
 */
import type { AllMiddlewareArgs, BlockAction, CheckboxesAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { ClosedItem } from "../../../agenda/action-item-service.ts";
import { ACTION_ITEMS_OFF } from "../../../domain/agenda/action-item-messages.ts";
import type { ChatMessage } from "../../../domain/chat-message.ts";
import { reportFailure, type SlackListenerDeps, tellUser } from "../listener-deps.ts";

type Element = { action_id?: string; options?: { value?: string }[] };
type Block = { block_id?: string; accessory?: Element; elements?: Element[]; element?: Element };

/** Every option value of the clicked checkboxes element, as the message shows it (empty when Slack sent none). */
function optionValuesOf(blocks: unknown, blockId: string, actionId: string): string[] {
  if (!Array.isArray(blocks)) return [];
  const block = (blocks as Block[]).find((candidate) => candidate?.block_id === blockId);
  if (!block) return [];
  const elements = [block.accessory, block.element, ...(Array.isArray(block.elements) ? block.elements : [])];
  const element = elements.find((candidate) => candidate?.action_id === actionId);
  return (element?.options ?? []).map((option) => option.value).filter((value): value is string => Boolean(value));
}

export function tickAgendaAction(deps: SlackListenerDeps) {
  return async ({
    ack,
    body,
    action,
  }: SlackActionMiddlewareArgs<BlockAction<CheckboxesAction>> & AllMiddlewareArgs) => {
    await ack();
    const target = { user: body.user.id, channel: body.channel?.id };
    const { actionItems } = deps;
    if (!actionItems) {
      await tellUser(deps, target, { text: ACTION_ITEMS_OFF, blocks: [{ type: "text", text: ACTION_ITEMS_OFF }] });
      return;
    }
    const selected = new Set(
      (action.selected_options ?? []).map((option) => option.value).filter((value): value is string => Boolean(value)),
    );
    const unselected = optionValuesOf(body.message?.blocks, action.block_id, action.action_id).filter(
      (value) => !selected.has(value),
    );
    try {
      const results: ClosedItem[] = [];
      for (const id of selected) results.push(await actionItems.markDone(id, `slack:${body.user.id}`));
      for (const id of unselected) results.push(await actionItems.reopen(id, { onlyDone: true }));
      // Only what this click changed, or could not find: a tick that changed nothing needs no answer.
      const worth = results.filter((result) => result.change.outcome !== "unchanged");
      if (worth.length === 0) return;
      const reply: ChatMessage = {
        text: worth.map((result) => result.reply.text).join("\n"),
        blocks: worth.flatMap((result) => result.reply.blocks),
      };
      await tellUser(deps, target, reply);
    } catch (error) {
      await reportFailure(deps, target, error, "agenda tick");
    }
  };
}
