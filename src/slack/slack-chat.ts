/**
 * Baton's outbound Slack: the {@link ChatPort} the outbox worker delivers through. Built on @slack/web-api's
 * WebClient, told never to retry or sleep on its own: the outbox owns retries, pacing and `Retry-After`.
 */
import { webApi } from "@slack/bolt";
import {
  type ChatFile,
  type ChatMessage,
  type ChatPort,
  type ConversationId,
  type DeliveryLookup,
  localIdOf,
  type MessageRef,
  namespacedId,
  PermanentDeliveryError,
  platformOf,
  RateLimitedError,
} from "../domain/chat-message.ts";
import type { Logger } from "../logger.ts";
import { toSlackLogger } from "./bolt-logger.ts";
import { renderBlocks } from "./render-blocks.ts";

/** WebClient options shared by the outbound port and Bolt's per-request clients. */
export function slackClientOptions(apiUrl: string, logger: Logger): webApi.WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    logger: toSlackLogger(logger),
    // A 429 must surface at once as RateLimitedError: sleeping inside the client would hold an outbox lease
    // and every other message queued behind it.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 10_000,
  };
}

/**
 * Slack errors that the same request will hit again however often it is retried: the outbox gives up on them
 * instead of backing off for hours. Token problems are left retryable: an admin fixing the token should not
 * lose the messages queued meanwhile.
 */
const PERMANENT_ERRORS = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "channel_is_archived",
  "invalid_blocks",
  "invalid_blocks_format",
  "invalid_attachments",
  "msg_too_long",
  "no_text",
  "too_many_attachments",
  "invalid_arguments",
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "user_not_found",
  "user_not_in_channel",
  "cannot_dm_bot",
  "user_disabled",
  "messages_tab_disabled",
  "restricted_action",
  "restricted_action_read_only_channel",
  "restricted_action_thread_only_channel",
  "restricted_action_non_threadable_channel",
  "ekm_access_denied",
  "team_access_not_granted",
  "missing_scope",
]);

/** Translates a WebClient failure into the outbox's vocabulary (rate limit, permanent, or retry later). */
export function toDeliveryError(error: unknown, method: string): Error {
  const coded = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  switch (coded.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new RateLimitedError(Math.max(1, coded.retryAfter ?? 1) * 1000, `Slack ${method} rate limited`);
    case webApi.ErrorCode.PlatformError: {
      const slackError = coded.data?.error ?? "unknown_error";
      const message = `Slack ${method} failed: ${slackError}`;
      return PERMANENT_ERRORS.has(slackError) ? new PermanentDeliveryError(message) : new Error(message);
    }
    case webApi.ErrorCode.HTTPError:
      return new Error(`Slack ${method} failed: HTTP ${coded.statusCode}`);
    default:
      return new Error(`Slack ${method} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Message metadata Baton attaches to its posts: which outbox message a post delivers. */
export const OUTBOX_METADATA_EVENT = "baton_outbox";

/**
 * How far a look-up for an earlier post reads: messages since the attempt (less a minute for clock skew between
 * Baton and Slack), at most this many pages of 200. A channel busier than that since the attempt is searched no
 * further and the message posted again.
 */
const LOOKUP_MAX_PAGES = 5;
const LOOKUP_SKEW_SECONDS = 60;

export interface SlackChatOptions {
  botToken: string;
  apiUrl: string;
  logger: Logger;
}

/** Posts, updates, DMs and ephemeral replies in Slack. Conversation ids are `slack:C…` / `slack:U…`. */
export class SlackChat implements ChatPort {
  readonly platform = "slack" as const;
  readonly client: webApi.WebClient;

  constructor(options: SlackChatOptions) {
    this.client = new webApi.WebClient(options.botToken, slackClientOptions(options.apiUrl, options.logger));
  }

  private async call<T>(method: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toDeliveryError(error, method);
    }
  }

  async post(
    conversation: ConversationId,
    message: ChatMessage,
    options?: { threadOf?: MessageRef; deliveryId?: string },
  ) {
    const channel = slackId(conversation);
    const result = await this.call("chat.postMessage", () =>
      this.client.chat.postMessage({
        channel,
        ...renderBlocks(message),
        ...(options?.threadOf ? { thread_ts: options.threadOf.messageId } : {}),
        ...(options?.deliveryId
          ? { metadata: { event_type: OUTBOX_METADATA_EVENT, event_payload: { outbox_id: options.deliveryId } } }
          : {}),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    // Keep the id Baton was given (`slack:C…`): the card's location must match the configured channel.
    return { conversation, messageId: requireTs(result.ts, "chat.postMessage") };
  }

  /**
   * Finds Baton's post of outbox message `deliveryId` by its metadata: in the channel's history since the
   * attempt, or among the thread's replies for a post in a thread. Needs `channels:history` (`groups:history` for
   * private channels); without it Slack answers `missing_scope`, a permanent error, and the outbox posts again.
   */
  async findDelivered(lookup: DeliveryLookup): Promise<MessageRef | undefined> {
    const channel = slackId(lookup.conversation);
    const oldest = String(Math.max(0, Math.floor(lookup.since.getTime() / 1000) - LOOKUP_SKEW_SECONDS));
    let cursor: string | undefined;
    for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
      const query = { channel, oldest, include_all_metadata: true, limit: 200, cursor };
      const threadTs = lookup.threadOf?.messageId;
      const result = threadTs
        ? await this.call("conversations.replies", () => this.client.conversations.replies({ ...query, ts: threadTs }))
        : await this.call("conversations.history", () => this.client.conversations.history(query));
      const found = result.messages?.find(
        (posted) =>
          posted.metadata?.event_type === OUTBOX_METADATA_EVENT &&
          (posted.metadata.event_payload as { outbox_id?: unknown } | undefined)?.outbox_id === lookup.deliveryId,
      );
      if (found?.ts) return { conversation: lookup.conversation, messageId: found.ts };
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async update(ref: MessageRef, message: ChatMessage) {
    await this.call("chat.update", () =>
      this.client.chat.update({ channel: slackId(ref.conversation), ts: ref.messageId, ...renderBlocks(message) }),
    );
  }

  /** Posting to a user id makes Slack open (or reuse) the app's DM with them: no `im:write` scope needed. */
  async sendDirect(user: ConversationId, message: ChatMessage) {
    const result = await this.call("chat.postMessage", () =>
      this.client.chat.postMessage({ channel: slackId(user), ...renderBlocks(message), unfurl_links: false }),
    );
    const dm = result.channel ? namespacedId("slack", result.channel) : user;
    return { conversation: dm, messageId: requireTs(result.ts, "chat.postMessage") };
  }

  /**
   * Slack's external upload (files.getUploadURLExternal → upload → files.completeUploadExternal with `channel_id`
   * and `thread_ts`), which replaced files.upload; the WebClient's filesUploadV2 makes the three calls.
   */
  async uploadFile(conversation: ConversationId, file: ChatFile, options?: { threadOf?: MessageRef }) {
    const bytes = Buffer.from(file.base64, "base64");
    const common = { file: bytes, filename: file.filename, title: file.title, alt_text: file.alt };
    await this.call("files.uploadV2", () =>
      this.client.filesUploadV2(
        options?.threadOf
          ? { ...common, channel_id: slackId(conversation), thread_ts: options.threadOf.messageId }
          : { ...common, channel_id: slackId(conversation) },
      ),
    );
  }

  async replyPrivately(conversation: ConversationId, user: ConversationId, message: ChatMessage) {
    await this.call("chat.postEphemeral", () =>
      this.client.chat.postEphemeral({ channel: slackId(conversation), user: slackId(user), ...renderBlocks(message) }),
    );
  }
}

function slackId(id: ConversationId): string {
  if (platformOf(id) !== "slack") throw new PermanentDeliveryError(`not a Slack conversation: "${id}"`);
  return localIdOf(id);
}

function requireTs(ts: string | undefined, method: string): string {
  if (!ts) throw new Error(`Slack ${method} answered without a message ts`);
  return ts;
}
