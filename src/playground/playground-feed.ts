/**
 * The playground's view of what Baton says: every message a chat port sends, kept in memory as the platform-neutral
 * {@link ChatMessage}, so the page can show it as Slack and as Teams would. Listeners (the page's event streams)
 * hear each post and update as it happens.
 */
import type { ChatMessage, ChatPort, ConversationId, MessageRef } from "../domain/chat-message.ts";

export interface FeedEntry {
  ref: MessageRef;
  kind: "post" | "direct" | "private";
  /** The message id of the thread's first message, for replies in a thread. */
  threadOf?: string;
  /** For a private reply: the only person who sees it. */
  privateTo?: ConversationId;
  message: ChatMessage;
  postedAt: Date;
  /** Set once the message was replaced (a card accepted, rejected, …). */
  updatedAt?: Date;
  /** Position in the conversation: the order messages were first posted. */
  order: number;
  /** Bumped on every change, so a reconnecting page asks only for what it missed. */
  seq: number;
}

/** Old messages are dropped past this many: a playground left running for days must not grow without end. */
const MAX_ENTRIES = 2000;

const keyOf = (ref: MessageRef) => `${ref.conversation}\u0000${ref.messageId}`;

export class PlaygroundFeed {
  private readonly entries = new Map<string, FeedEntry>();
  private readonly listeners = new Set<(entry: FeedEntry) => void>();
  private seq = 0;
  private order = 0;
  private privateSequence = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Entries in the order they were posted. */
  all(): FeedEntry[] {
    return [...this.entries.values()].sort((a, b) => a.order - b.order);
  }

  /** Entries changed after `seq` (posted or updated), oldest change first. */
  changedSince(seq: number): FeedEntry[] {
    return [...this.entries.values()].filter((entry) => entry.seq > seq).sort((a, b) => a.seq - b.seq);
  }

  lastSeq(): number {
    return this.seq;
  }

  /** Calls `listener` on every post and update; returns the unsubscribe function. */
  subscribe(listener: (entry: FeedEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  record(input: Omit<FeedEntry, "postedAt" | "order" | "seq">): FeedEntry {
    const entry: FeedEntry = { ...input, postedAt: this.now(), order: ++this.order, seq: ++this.seq };
    this.entries.set(keyOf(entry.ref), entry);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.announce(entry);
    return entry;
  }

  recordUpdate(ref: MessageRef, message: ChatMessage): FeedEntry {
    const existing = this.entries.get(keyOf(ref));
    // A message posted before this process started (the feed is memory only) still shows, as a new entry.
    if (!existing) return this.record({ ref, kind: "post", message, updatedAt: this.now() });
    const entry: FeedEntry = { ...existing, message, updatedAt: this.now(), seq: ++this.seq };
    this.entries.set(keyOf(ref), entry);
    this.announce(entry);
    return entry;
  }

  private announce(entry: FeedEntry) {
    for (const listener of this.listeners) listener(entry);
  }

  /** Wraps a chat port so that everything it delivers is also recorded here; the port itself works as before. */
  observe(port: ChatPort): ChatPort {
    return {
      platform: port.platform,
      post: async (conversation, message, options) => {
        const ref = await port.post(conversation, message, options);
        this.record({ ref, kind: "post", message, threadOf: options?.threadOf?.messageId });
        return ref;
      },
      update: async (ref, message) => {
        await port.update(ref, message);
        this.recordUpdate(ref, message);
      },
      sendDirect: async (user, message) => {
        const ref = await port.sendDirect(user, message);
        this.record({ ref, kind: "direct", message });
        return ref;
      },
      replyPrivately: async (conversation, user, message) => {
        await port.replyPrivately(conversation, user, message);
        this.record({
          ref: { conversation, messageId: `private-${++this.privateSequence}` },
          kind: "private",
          privateTo: user,
          message,
        });
      },
    };
  }
}
