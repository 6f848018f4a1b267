/**
 * What Baton says, independent of where it is said. The domain builds these; `src/slack/` renders them as
 * Block Kit, `src/teams/` as Adaptive Cards and `src/console/` as text.
 */

export const PLATFORMS = ["slack", "teams", "console"] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * A platform-namespaced id: `slack:C0123ABCD`, `slack:U0123` (a user, for DMs), `teams:19:…@thread.tacv2`,
 * `console:emea-sales`. The platform prefix decides which adapter handles it.
 */
export type ConversationId = string;

/** Where a posted message lives, so it can be updated or replied to later. */
export interface MessageRef {
  conversation: ConversationId;
  /** Slack `ts`, Teams activity id, console sequence number. */
  messageId: string;
}

export function platformOf(id: ConversationId): Platform {
  const prefix = id.slice(0, id.indexOf(":"));
  if ((PLATFORMS as readonly string[]).includes(prefix)) return prefix as Platform;
  throw new Error(`not a platform-namespaced id: "${id}"`);
}

/** The part after the platform prefix: the id the platform itself knows. */
export function localIdOf(id: ConversationId): string {
  platformOf(id);
  return id.slice(id.indexOf(":") + 1);
}

export function namespacedId(platform: Platform, localId: string): ConversationId {
  return `${platform}:${localId}`;
}

/** Buttons: `id` is the action (`lead_accept`), `value` what it acts on (the lead id). */
export interface ChatAction {
  id: string;
  label: string;
  value: string;
  style?: "primary" | "danger";
}

export type ChatBlock =
  | { type: "header"; text: string }
  /** Light markdown: `*bold*`, `_italic_`, line breaks. */
  | { type: "text"; text: string }
  | { type: "fields"; fields: { label: string; value: string }[] }
  /** Side-by-side groups of figures (e.g. marketing beside sales); narrow screens may stack them. */
  | { type: "columns"; columns: { title: string; fields: { label: string; value: string }[] }[] }
  | { type: "context"; text: string }
  | { type: "actions"; actions: ChatAction[] }
  /**
   * Tick boxes, one per item: Slack checkboxes (`action_id` = `id`, option `value` = the item's value, checked ones
   * preselected); Teams a button per unchecked item (`Action.Execute`, verb `id`, data `{ [dataKey]: value }`).
   */
  | { type: "checklist"; id: string; dataKey: string; title: string; items: ChecklistItem[] }
  /** A picture (a chart): a URL or a `data:` URI, with the text that stands for it. */
  | { type: "image"; url: string; alt: string }
  | { type: "divider" };

export interface ChecklistItem {
  value: string;
  label: string;
  /** Who and when, shown beside or under the label. */
  detail?: string;
  checked: boolean;
}

export interface ChatMessage {
  /** Plain text for notifications, screen readers and clients that cannot show cards. */
  text: string;
  blocks: ChatBlock[];
}

/**
 * The outbound half of every chat adapter. Interactive replies (Slack's `ack`/modals, Teams' invoke responses)
 * stay inside the adapters, because they only exist while a platform request is open.
 */
export interface ChatPort {
  readonly platform: Platform;
  /**
   * Posts to a channel/chat, or into a thread when `threadOf` is given. `deliveryId` (the outbox message's id) is
   * attached to the post where the platform keeps such data, so that {@link ChatPort.findDelivered} can find it.
   */
  post(
    conversation: ConversationId,
    message: ChatMessage,
    options?: { threadOf?: MessageRef; deliveryId?: string },
  ): Promise<MessageRef>;
  /**
   * Looks for a post carrying `deliveryId` made since `since` (an attempt whose outcome is unknown: the process
   * died, or the answer was lost). Platforms that cannot search their own posts leave it out: the outbox then
   * posts again (at least once).
   */
  findDelivered?(lookup: DeliveryLookup): Promise<MessageRef | undefined>;
  /** Replaces a message Baton posted earlier. */
  update(ref: MessageRef, message: ChatMessage): Promise<void>;
  /** A direct message to one person (`slack:U0123`, `teams:<aad object id>`). */
  sendDirect(user: ConversationId, message: ChatMessage): Promise<MessageRef>;
  /** A message only `user` sees in `conversation` (Slack ephemeral; Teams falls back to a DM). */
  replyPrivately(conversation: ConversationId, user: ConversationId, message: ChatMessage): Promise<void>;
  /** Shares a file (the agenda's chart) in a conversation or thread; platforms that show pictures inline omit it. */
  uploadFile?(conversation: ConversationId, file: ChatFile, options?: { threadOf?: MessageRef }): Promise<void>;
}

/** A file to share: its bytes as base64 (it travels through the outbox as JSON). */
export interface ChatFile {
  filename: string;
  title: string;
  alt: string;
  base64: string;
}

/** What {@link ChatPort.findDelivered} looks for. */
export interface DeliveryLookup {
  deliveryId: string;
  conversation: ConversationId;
  threadOf?: MessageRef;
  /** When the earliest attempt with an unknown outcome began. */
  since: Date;
}

/** Thrown by adapters when the platform says "slow down"; the outbox retries after `retryAfterMs`, not counting a failure. */
export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited, retry after ${retryAfterMs} ms`,
  ) {
    super(message);
  }
}

/** Thrown by adapters when retrying cannot help (channel not found, bot not in channel, invalid blocks). */
export class PermanentDeliveryError extends Error {
  override name = "PermanentDeliveryError";
}
