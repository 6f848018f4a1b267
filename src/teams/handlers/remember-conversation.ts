/**
 * Keeps the conversation reference of every conversation the bot is in, so that lead cards can be posted there
 * later without anyone speaking first. Refreshed on every activity whose reference differs from what this process
 * last stored: Teams may move a conversation's service URL. An unchanged one is not written again on every click
 * (it was a statement on the path of each Accept), except on install and membership activities, and at least every
 * ten minutes, so that a reference another replica removed meanwhile comes back.
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

/** What this process last stored per conversation, and when. */
export class StoredConversations {
  private readonly stored = new Map<string, { reference: string; at: number }>();

  constructor(
    private readonly maxAgeMs = 10 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  isStored(conversation: string, reference: string, now: number): boolean {
    const entry = this.stored.get(conversation);
    return entry !== undefined && entry.reference === reference && now - entry.at < this.maxAgeMs;
  }

  remember(conversation: string, reference: string, now: number): void {
    this.stored.delete(conversation);
    if (this.stored.size >= this.maxEntries) this.stored.delete(this.stored.keys().next().value as string);
    this.stored.set(conversation, { reference, at: now });
  }

  forget(conversation: string): void {
    this.stored.delete(conversation);
  }
}

/** Activities after which the reference is always written: the bot joined, or the conversation's members changed. */
const ALWAYS_STORED = new Set(["installationUpdate", "conversationUpdate"]);

export async function rememberConversation(
  deps: TeamsHandlerDeps,
  context: TurnContext,
  stored: StoredConversations,
): Promise<void> {
  const activity = context.activity;
  if (!activity.conversation?.id || !activity.serviceUrl) return;
  // A reply in a channel thread carries `;messageid=…`; the channel is what a team's configuration names.
  const channelId = channelOf(activity.conversation.id);
  const conversation = namespacedId("teams", channelId);
  if (botWasRemoved(activity)) {
    stored.forget(conversation);
    await deleteConversationRef(deps.prisma, conversation);
    deps.logger.info({ conversation }, "Teams app removed from a conversation");
    return;
  }
  // Without the activity id: a proactive post must start a new message, not reply to whatever was said last.
  const { activityId: _lastActivity, ...reference } = TurnContext.getConversationReference(activity);
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const name =
    [channelData.team?.name, channelData.channel?.name].filter(Boolean).join(" › ") || activity.conversation.name;
  const input = {
    conversation,
    platform: "teams" as const,
    name: name || null,
    reference: { ...reference, conversation: { ...reference.conversation, id: channelId } },
  };
  const fingerprint = JSON.stringify([input.name, input.reference]);
  const now = Date.now();
  if (!ALWAYS_STORED.has(activity.type) && stored.isStored(conversation, fingerprint, now)) return;
  await saveConversationRef(deps.prisma, input);
  stored.remember(conversation, fingerprint, now);
}
