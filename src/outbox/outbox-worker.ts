/**
 * Delivers the outbox to the chat platforms: claims due messages (safe with many replicas), paces posts per
 * conversation, honours rate limits (429 Retry-After) without counting them as failures, and backs off on errors.
 */
import {
  type ChatMessage,
  type ChatPort,
  type MessageRef,
  PermanentDeliveryError,
  type Platform,
  platformOf,
  RateLimitedError,
} from "../domain/chat-message.ts";
import type { OutboxMessage, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import {
  claimDueOutbox,
  failOutbox,
  markOutboxAttempt,
  markOutboxSent,
  type OutboxPayload,
  recordOutboxLanding,
  releaseOutbox,
  rescheduleOutbox,
} from "../repositories/outbox.ts";

export interface OutboxWorkerOptions {
  prisma: PrismaClient;
  ports: Partial<Record<Platform, ChatPort>>;
  logger: Logger;
  now?: () => Date;
  /** Least time between two messages to one conversation: Slack allows about 1 per second per channel. */
  pacingMs?: Partial<Record<Platform, number>>;
  maxAttempts?: number;
  batchSize?: number;
  leaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once a message is given up on (kept as `failed`), e.g. to tell the admins. */
  onDeadLetter?: (outboxId: string) => Promise<unknown>;
  /** Told the outcome of every delivery attempt (metrics). */
  onOutcome?: (platform: string, outcome: DeliveryOutcome) => void;
}

/** `recovered`: an earlier attempt whose outcome was unknown had in fact posted it; found, not posted again. */
export type DeliveryOutcome = "sent" | "recovered" | "retry" | "failed" | "rate-limited";

const DEFAULT_PACING_MS: Record<Platform, number> = { slack: 1_100, teams: 150, console: 0 };

/** Posts and DMs create a message on the platform (updates change one; ephemeral replies cannot be found). */
function createsMessage(message: OutboxMessage): boolean {
  const { kind } = message.payload as unknown as OutboxPayload;
  return kind === "post" || kind === "direct";
}

/** 5 s, 10 s, 20 s … capped at 1 h, with jitter so retries from many rows don't arrive together. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class OutboxWorker {
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly lastSentAt = new Map<string, number>();
  private running: Promise<number> | undefined;
  private paused = false;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** One pass; concurrent calls share the pass in flight. Returns how many messages were delivered. */
  runOnce(): Promise<number> {
    this.running ??= this.deliverDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * For a shutdown: no {@link drain} starts another pass from now on, and this resolves once the pass in flight
   * (if any) has ended, every delivery it claimed sent or handed back. An explicit {@link runOnce} still runs (the
   * shutdown's last pass).
   */
  async pause(): Promise<void> {
    this.paused = true;
    await this.running?.catch(() => 0);
  }

  /** Delivers until nothing is due right now (tests, and the local-mode fast path). */
  async drain(maxPasses = 50): Promise<number> {
    let total = 0;
    for (let pass = 0; pass < maxPasses && !this.paused; pass++) {
      const delivered = await this.runOnce();
      total += delivered;
      if (delivered === 0) break;
    }
    return total;
  }

  private async deliverDue(): Promise<number> {
    const { prisma } = this.options;
    const claimed = await claimDueOutbox(prisma, {
      limit: this.options.batchSize ?? 50,
      leaseMs: this.options.leaseMs ?? 120_000,
      now: this.now(),
    });
    if (claimed.length === 0) return 0;
    const byConversation = new Map<string, OutboxMessage[]>();
    for (const message of claimed) {
      const queue = byConversation.get(message.conversation) ?? [];
      queue.push(message);
      byConversation.set(message.conversation, queue);
    }
    const results = await Promise.all([...byConversation.values()].map((queue) => this.deliverQueue(queue)));
    return results.reduce((sum, count) => sum + count, 0);
  }

  /** One conversation's messages, in order and paced; stops at a rate limit and hands the rest back. */
  private async deliverQueue(queue: OutboxMessage[]): Promise<number> {
    let delivered = 0;
    for (const [index, message] of queue.entries()) {
      const outcome = await this.deliverOne(message);
      this.options.onOutcome?.(message.conversation.split(":")[0], outcome);
      if (outcome === "failed") {
        await this.options.onDeadLetter?.(message.id).catch((error: unknown) => {
          this.options.logger.error({ err: error, outboxId: message.id }, "could not announce a dead letter");
        });
      }
      if (outcome === "sent" || outcome === "recovered") delivered++;
      if (outcome === "rate-limited") {
        await releaseOutbox(
          this.options.prisma,
          queue.slice(index + 1).map((rest) => rest.id),
        );
        break;
      }
    }
    return delivered;
  }

  private async deliverOne(message: OutboxMessage): Promise<DeliveryOutcome> {
    const { prisma, logger } = this.options;
    const log = logger.child({ outboxId: message.id, kind: message.kind, conversation: message.conversation });
    let platform: Platform;
    try {
      platform = platformOf(message.conversation);
    } catch (error) {
      await failOutbox(prisma, message.id, String((error as Error).message));
      return "failed";
    }
    const port = this.options.ports[platform];
    if (!port) {
      // The platform may be switched on later (credentials added): keep the message, try again much later.
      await rescheduleOutbox(prisma, message.id, {
        nextAttemptAt: new Date(this.now().getTime() + 15 * 60_000),
        error: `${platform} is not configured`,
        countAttempt: false,
      });
      log.warn({ platform }, "outbox message waits: platform not configured");
      return "retry";
    }
    await this.pace(message.conversation, platform);
    // Until the platform is called, a rate limit or refusal says nothing about an earlier attempt.
    let calledPlatformToSend = false;
    try {
      if (message.attemptStartedAt) {
        const found = await this.findEarlierDelivery(port, message, message.attemptStartedAt, log);
        if (found) {
          await markOutboxSent(prisma, message, found, this.now());
          log.info(
            { messageId: found.messageId },
            "outbox message was delivered by an earlier attempt: not posted again",
          );
          return "recovered";
        }
      }
      // Only a new message can be made twice: an update or an ephemeral reply needs no record of the attempt.
      if (createsMessage(message)) await markOutboxAttempt(prisma, message.id, this.now());
      calledPlatformToSend = true;
      const ref = await this.send(port, message);
      this.lastSentAt.set(message.conversation, Date.now());
      // Where the platform cannot be searched later, note where the message landed at once, in one quick write:
      // should the process die before the outcome is stored, the next attempt updates it instead of posting again.
      if (ref && this.mustNoteLanding(port, message)) await recordOutboxLanding(prisma, message.id, ref);
      await markOutboxSent(prisma, message, ref, this.now());
      log.debug("outbox message delivered");
      return "sent";
    } catch (error) {
      if (error instanceof RateLimitedError) {
        await rescheduleOutbox(prisma, message.id, {
          nextAttemptAt: new Date(this.now().getTime() + error.retryAfterMs),
          error: error.message,
          countAttempt: false,
          // A 429 to the post itself means it was not made; one to the look-up proves nothing.
          notDelivered: calledPlatformToSend,
        });
        log.warn({ retryAfterMs: error.retryAfterMs }, "rate limited by chat platform");
        return "rate-limited";
      }
      const reason = error instanceof Error ? error.message : String(error);
      const attempts = message.attempts + 1;
      if (error instanceof PermanentDeliveryError || attempts >= (this.options.maxAttempts ?? 8)) {
        await failOutbox(prisma, message.id, reason);
        log.error({ err: error, attempts }, "outbox message failed for good");
        return "failed";
      }
      await rescheduleOutbox(prisma, message.id, {
        nextAttemptAt: new Date(this.now().getTime() + backoffMs(attempts)),
        error: reason,
        countAttempt: true,
      });
      log.warn({ err: error, attempts }, "outbox delivery failed; will retry");
      return "retry";
    }
  }

  /** A new message (post, DM) the platform cannot search for later: Teams, DMs, the console. */
  private mustNoteLanding(port: ChatPort, message: OutboxMessage): boolean {
    const { kind } = message.payload as unknown as OutboxPayload;
    return kind === "direct" || (kind === "post" && port.findDelivered === undefined);
  }

  /**
   * An earlier attempt began and its outcome was never stored (the process died after calling the platform, or
   * the answer was lost): find that message before making another — where Baton noted it landed (Teams, DMs), or
   * by searching the channel (Slack posts). An update needs no search: it sets the same content again. Ephemeral
   * replies cannot be found at all (at least once).
   */
  private async findEarlierDelivery(
    port: ChatPort,
    message: OutboxMessage,
    since: Date,
    log: Logger,
  ): Promise<MessageRef | undefined> {
    const payload = message.payload as unknown as OutboxPayload;
    const landed = message.result as unknown as MessageRef | null;
    if (landed?.messageId && (payload.kind === "post" || payload.kind === "direct")) {
      // Baton noted where it landed (Teams, DMs): update that message to what it should say, rather than post anew.
      try {
        await port.update(landed, payload.message);
        return landed;
      } catch (error) {
        if (!(error instanceof PermanentDeliveryError)) throw error;
        log.warn({ err: error }, "the earlier delivery cannot be updated (deleted?); posting again");
        return undefined;
      }
    }
    if (!port.findDelivered || payload.kind !== "post") return undefined;
    try {
      return await port.findDelivered({
        deliveryId: message.id,
        conversation: message.conversation,
        threadOf: payload.threadOf,
        since,
      });
    } catch (error) {
      // The platform refuses to look (a scope the app lacks, say): posting again is the lesser harm than never.
      if (error instanceof PermanentDeliveryError) {
        log.warn({ err: error }, "cannot look for an earlier delivery; posting again");
        return undefined;
      }
      throw error;
    }
  }

  /** A file goes into the thread of a message posted before it, once that message is out (else: retried). */
  private async sendFile(
    port: ChatPort,
    message: OutboxMessage,
    payload: Extract<OutboxPayload, { kind: "file" }>,
  ): Promise<undefined> {
    if (!port.uploadFile) return undefined;
    let threadOf: MessageRef | undefined;
    if (payload.threadOfKey) {
      const parent = await this.options.prisma.outboxMessage.findUnique({
        where: { idempotencyKey: payload.threadOfKey },
        select: { status: true, result: true },
      });
      if (parent?.status === "failed") throw new PermanentDeliveryError("the message to thread the file under failed");
      if (parent?.status !== "sent" || !parent.result)
        throw new Error("the message to thread the file under is not out yet");
      threadOf = parent.result as unknown as MessageRef;
    }
    await port.uploadFile(message.conversation, payload.file, { threadOf });
    return undefined;
  }

  private async pace(conversation: string, platform: Platform) {
    const gap = this.options.pacingMs?.[platform] ?? DEFAULT_PACING_MS[platform];
    const last = this.lastSentAt.get(conversation);
    if (gap > 0 && last !== undefined) {
      const wait = last + gap - Date.now();
      if (wait > 0) await this.sleep(wait);
    }
  }

  private async send(port: ChatPort, message: OutboxMessage): Promise<MessageRef | undefined> {
    const payload = message.payload as unknown as OutboxPayload;
    if (payload.kind === "file") return this.sendFile(port, message, payload);
    const chatMessage: ChatMessage = payload.message;
    switch (payload.kind) {
      case "post":
        return port.post(message.conversation, chatMessage, { threadOf: payload.threadOf, deliveryId: message.id });
      case "update":
        await port.update(payload.ref, chatMessage);
        return payload.ref;
      case "direct":
        return port.sendDirect(message.conversation, chatMessage);
      case "private":
        await port.replyPrivately(message.conversation, payload.user, chatMessage);
        return undefined;
      default:
        throw new PermanentDeliveryError(`unknown outbox kind "${(payload as { kind: string }).kind}"`);
    }
  }
}
