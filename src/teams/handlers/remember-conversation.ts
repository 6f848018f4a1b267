/**
 * Keeps the conversation reference of every conversation the bot is in, so that lead cards can be posted there
 * later without anyone speaking first. Refreshed on every activity: Teams may move a conversation's service URL.
 */
import { type Activity, TurnContext } from "botbuilder";
import { namespacedId } from "../../domain/chat-message.ts";
import { deleteConversationRef, saveConversationRef } from "../../repositories/conversation-refs.ts";
import { channelOf } from "../teams-chat.ts";
import type { TeamsHandlerDeps } from "./handler-deps.ts";

interface TeamsChannelData {
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
}

/** Whether this activity says the bot itself left the conversation (uninstalled, removed from the team). */
function botWasRemoved(activity: Activity): boolean {
  if (activity.type === "installationUpdate") return activity.action === "remove";
  if (activity.type === "conversationUpdate") {
    return (activity.membersRemoved ?? []).some((member) => member.id === activity.recipient?.id);
  }
  return false;
}

export async function rememberConversation(deps: TeamsHandlerDeps, context: TurnContext): Promise<void> {
  const activity = context.activity;
  if (!activity.conversation?.id || !activity.serviceUrl) return;
  // A reply in a channel thread carries `;messageid=…`; the channel is what a team's configuration names.
  const channelId = channelOf(activity.conversation.id);
  const conversation = namespacedId("teams", channelId);
  if (botWasRemoved(activity)) {
    await deleteConversationRef(deps.prisma, conversation);
    deps.logger.info({ conversation }, "Teams app removed from a conversation");
    return;
  }
  // Without the activity id: a proactive post must start a new message, not reply to whatever was said last.
  const { activityId: _lastActivity, ...reference } = TurnContext.getConversationReference(activity);
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const name =
    [channelData.team?.name, channelData.channel?.name].filter(Boolean).join(" › ") || activity.conversation.name;
  await saveConversationRef(deps.prisma, {
    conversation,
    platform: "teams",
    name: name || null,
    reference: { ...reference, conversation: { ...reference.conversation, id: channelId } },
  });
}
