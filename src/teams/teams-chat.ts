/**
 * Baton's outbound Teams: the {@link ChatPort} the outbox delivers through. Every call is proactive, so it needs a
 * conversation reference stored when the bot was installed or spoken to (see conversation-refs.ts).
 */
import {
  type Activity,
  CardFactory,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  TurnContext,
} from "botbuilder";
import { AuthenticationConstants, type ConnectorClient } from "botframework-connector";
import {
  type ChatMessage,
  type ChatPort,
  type ConversationId,
  localIdOf,
  type MessageRef,
  namespacedId,
  PermanentDeliveryError,
  platformOf,
  RateLimitedError,
} from "../domain/chat-message.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import {
  findConversationRef,
  findLatestConversationRef,
  saveConversationRef,
} from "../repositories/conversation-refs.ts";
import { renderAdaptiveCard } from "./render-adaptive-card.ts";

export interface TeamsChatOptions {
  adapter: CloudAdapter;
  appId: string;
  /** The app's home tenant, for 1:1 chats when no stored reference names one. */
  tenantId?: string;
  prisma: PrismaClient;
  logger: Logger;
}

/**
 * `<`, `>` and `&` as entities: Teams reads message text as HTML, where `<at>…</at>` and links live, and a lead's
 * name from a web form must stay text.
 */
export function escapeTeamsText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** The card as a message activity: the Adaptive Card, plus its plain text for notifications. */
export function cardActivity(message: ChatMessage): Partial<Activity> {
  return {
    type: "message",
    summary: escapeTeamsText(message.text),
    attachments: [CardFactory.adaptiveCard(renderAdaptiveCard(message))],
  };
}

/** A Teams thread id carries the root post: `19:abc@thread.tacv2;messageid=1700…`. The channel is before the `;`. */
export function channelOf(teamsConversationId: string): string {
  return teamsConversationId.split(";")[0];
}

/** Translates a Bot Connector failure into the outbox's vocabulary (rate limit, permanent, or retry later). */
export function toDeliveryError(error: unknown, doing: string): Error {
  if (error instanceof RateLimitedError || error instanceof PermanentDeliveryError) return error;
  const failure = error as {
    statusCode?: number;
    message?: string;
    response?: { status?: number; headers?: { get?(name: string): string | undefined } };
  };
  const status = failure.statusCode ?? failure.response?.status;
  const message = `Teams ${doing} failed: ${status ? `HTTP ${status}` : (failure.message ?? String(error))}`;
  if (status === 429) {
    const retryAfter = Number(failure.response?.headers?.get?.("retry-after"));
    return new RateLimitedError(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000, message);
  }
  if (status === 400 || status === 403 || status === 404) return new PermanentDeliveryError(message);
  return new Error(message);
}

/** Posts, updates and DMs in Teams. Conversation ids are `teams:19:…` (channels, chats) and `teams:<aad id>` (users). */
export class TeamsChat implements ChatPort {
  readonly platform = "teams" as const;

  constructor(private readonly options: TeamsChatOptions) {}

  async post(conversation: ConversationId, message: ChatMessage, options?: { threadOf?: MessageRef }) {
    const reference = await this.referenceFor(conversation);
    if (options?.threadOf) {
      const root = channelOf(localIdOf(options.threadOf.conversation));
      reference.conversation = {
        ...reference.conversation,
        id: `${root};messageid=${options.threadOf.messageId}`,
      } as ConversationReference["conversation"];
    }
    let messageId: string | undefined;
    await this.deliver("post", reference, async (context) => {
      // sendActivity would reply to the synthetic "continue" activity; a card must be a new post.
      const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const activity = { ...cardActivity(message), from: reference.bot, conversation: reference.conversation };
      const conversationId = reference.conversation?.id ?? "";
      messageId = (await connector.conversations.sendToConversation(conversationId, activity as Activity)).id;
    });
    if (!messageId) throw new Error("Teams post answered without an activity id");
    return { conversation, messageId };
  }

  async update(ref: MessageRef, message: ChatMessage) {
    const reference = await this.referenceFor(ref.conversation);
    await this.deliver("update", reference, async (context) => {
      await context.updateActivity({ ...cardActivity(message), id: ref.messageId });
    });
  }

  /** Opens (or reuses: Teams keeps one 1:1 chat per bot and user) a personal chat with the user, then posts. */
  async sendDirect(user: ConversationId, message: ChatMessage): Promise<MessageRef> {
    const aadObjectId = teamsId(user);
    const known = await findLatestConversationRef(this.options.prisma, "teams");
    const reference = known?.reference as Partial<ConversationReference> | undefined;
    if (!reference?.serviceUrl) {
      throw new Error(
        `Teams cannot message ${user} yet: Baton has no conversation reference (install the app in a team or chat first)`,
      );
    }
    const tenantId = tenantOf(reference) ?? this.options.tenantId;
    const parameters = {
      isGroup: false,
      bot: reference.bot,
      members: [{ id: aadObjectId }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    let result: MessageRef | undefined;
    try {
      await this.options.adapter.createConversationAsync(
        this.options.appId,
        reference.channelId ?? "msteams",
        reference.serviceUrl,
        AuthenticationConstants.ToChannelFromBotOAuthScope,
        parameters,
        async (context) => {
          const dm = context.activity.conversation.id;
          const sent = await context.sendActivity(cardActivity(message));
          await saveConversationRef(this.options.prisma, {
            conversation: namespacedId("teams", dm),
            platform: "teams",
            reference: TurnContext.getConversationReference(context.activity),
          });
          result = { conversation: namespacedId("teams", dm), messageId: sent?.id ?? "" };
        },
      );
    } catch (error) {
      throw toDeliveryError(error, "direct message");
    }
    if (!result?.messageId) throw new Error("Teams direct message answered without an activity id");
    return result;
  }

  /** Teams has no message only one person sees in a channel: the person gets it as a direct message. */
  async replyPrivately(_conversation: ConversationId, user: ConversationId, message: ChatMessage) {
    await this.sendDirect(user, message);
  }

  private async referenceFor(conversation: ConversationId): Promise<Partial<ConversationReference>> {
    const local = teamsId(conversation);
    const stored = await findConversationRef(this.options.prisma, namespacedId("teams", channelOf(local)));
    if (stored) return { ...(stored.reference as Partial<ConversationReference>), activityId: undefined };
    // A channel of a team Baton is installed in, that nobody has spoken in yet: same service URL and tenant.
    const sibling = local.endsWith("@thread.tacv2")
      ? await findLatestConversationRef(this.options.prisma, "teams")
      : null;
    if (sibling) {
      const reference = sibling.reference as Partial<ConversationReference>;
      return {
        ...reference,
        conversation: { ...reference.conversation, id: local, isGroup: true } as never,
        [BORROWED]: true,
      } as Partial<ConversationReference>;
    }
    throw new Error(
      `Teams cannot post to ${conversation} yet: Baton has no conversation reference for it (add the app to that team or chat first)`,
    );
  }

  private async deliver(
    doing: string,
    reference: Partial<ConversationReference>,
    send: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    try {
      await this.options.adapter.continueConversationAsync(this.options.appId, reference, send);
    } catch (error) {
      this.options.logger.debug({ err: error, doing }, "Teams delivery failed");
      const failure = toDeliveryError(error, doing);
      // Guessed from another conversation: "not in this conversation" may only mean the app is not added to that
      // team yet. The outbox keeps trying (with backoff, up to its limit) rather than dropping the card.
      const status = (error as { statusCode?: number }).statusCode;
      if (BORROWED in reference && (status === 403 || status === 404)) {
        throw new Error(`${failure.message}: Baton may not have been added to this channel's team yet`);
      }
      throw failure;
    }
  }
}

/** Marks a reference borrowed from another conversation of the tenant, not stored for this one. */
const BORROWED = Symbol("borrowed reference");

function teamsId(id: ConversationId): string {
  if (platformOf(id) !== "teams") throw new PermanentDeliveryError(`not a Teams conversation: "${id}"`);
  return localIdOf(id);
}

function tenantOf(reference: Partial<ConversationReference>): string | undefined {
  return (reference.conversation as { tenantId?: string } | undefined)?.tenantId;
}
