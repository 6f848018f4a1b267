/** The outbox: chat messages written in the same transaction as the change they announce, delivered by a job. */

import type { ChatFile, ChatMessage, MessageRef } from "../domain/chat-message.ts";
import type { OutboxMessage, Prisma, PrismaClient } from "../generated/prisma/client.ts";

/** Anything that can run queries: the client or an interactive transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

export type OutboxPayload =
  | { kind: "post"; message: ChatMessage; threadOf?: MessageRef }
  | { kind: "update"; message: ChatMessage; ref: MessageRef }
  | { kind: "direct"; message: ChatMessage }
  | { kind: "private"; message: ChatMessage; user: string }
  /** A file shared in the thread of the message posted under `threadOfKey` (an outbox idempotency key). */
  | { kind: "file"; file: ChatFile; threadOfKey?: string };

export interface EnqueueOutboxInput {
  /** Same key twice = one message: e.g. `offer:<offerId>:post`. */
  idempotencyKey: string;
  conversation: string;
  payload: OutboxPayload;
  leadId?: string;
  offerId?: string;
  notBefore?: Date;
}

/** Stores the message unless one with the same idempotency key exists; true when it was new. */
export async function enqueueOutbox(db: Db, input: EnqueueOutboxInput): Promise<boolean> {
  const { count } = await db.outboxMessage.createMany({
    data: [
      {
        idempotencyKey: input.idempotencyKey,
        kind: input.payload.kind,
        conversation: input.conversation,
        payload: input.payload as unknown as Prisma.InputJsonValue,
        leadId: input.leadId,
        offerId: input.offerId,
        nextAttemptAt: input.notBefore ?? new Date(),
      },
    ],
    skipDuplicates: true,
  });
  return count === 1;
}

/**
 * Leases up to `limit` due messages to this worker for `leaseMs`. SKIP LOCKED lets several replicas claim at once
 * without waiting on or taking each other's rows; a lease that runs out (crashed worker) makes the row due again.
 *
 * A lead's messages go out one at a time, in the order they were written (`sequence`): only the oldest pending
 * message of a lead can be claimed, the later ones wait until it is sent or given up on. So a card's update never
 * overtakes its post, and a re-offer never lands before the withdrawal of the offer before it, whatever retries,
 * rate limits or replicas do in between. Messages without a lead (a dead-letter notice, a digest) are not ordered.
 */
export async function claimDueOutbox(db: Db, options: { limit: number; leaseMs: number; now: Date }) {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  // UPDATE … RETURNING has no order of its own: sort after, or two messages to one channel could go out swapped.
  return db.$queryRaw<OutboxMessage[]>`
    WITH claimed AS (
      UPDATE "OutboxMessage" SET "lockedUntil" = ${leaseUntil}
      WHERE id IN (
        SELECT candidate.id FROM "OutboxMessage" candidate
        WHERE candidate.status = 'pending'::"OutboxStatus" AND candidate."nextAttemptAt" <= ${options.now}
          AND (candidate."lockedUntil" IS NULL OR candidate."lockedUntil" < ${options.now})
          AND (candidate."leadId" IS NULL OR NOT EXISTS (
            SELECT 1 FROM "OutboxMessage" earlier
            WHERE earlier."leadId" = candidate."leadId" AND earlier.status = 'pending'::"OutboxStatus"
              AND earlier.sequence < candidate.sequence))
        ORDER BY candidate."nextAttemptAt", candidate.sequence
        LIMIT ${options.limit}
        FOR UPDATE OF candidate SKIP LOCKED
      )
      RETURNING *
    )
    SELECT * FROM claimed ORDER BY "nextAttemptAt", sequence`;
}

/**
 * Records that a delivery attempt is about to call the platform. Should the process die before the outcome is
 * stored, the next worker to claim the row sees it and looks for the message before posting it again.
 */
export async function markOutboxAttempt(db: Db, id: string, at: Date) {
  await db.outboxMessage.update({ where: { id }, data: { attemptStartedAt: at } });
}

/**
 * Notes where a message landed as soon as the platform answers, before {@link markOutboxSent} (a transaction with
 * the message's side effects) stores the outcome: one quick write that leaves a crash only a few milliseconds to
 * post twice where the platform cannot be searched (Teams, DMs).
 */
export async function recordOutboxLanding(db: Db, id: string, ref: MessageRef) {
  await db.outboxMessage.update({ where: { id }, data: { result: { ...ref } } });
}

/** Marks a message delivered; a posted lead offer also records where its card now lives. */
export async function markOutboxSent(db: PrismaClient, message: OutboxMessage, ref: MessageRef | undefined, now: Date) {
  await db.$transaction(async (tx) => {
    await tx.outboxMessage.update({
      where: { id: message.id },
      data: {
        status: "sent",
        sentAt: now,
        lockedUntil: null,
        lastError: null,
        attemptStartedAt: null,
        result: ref ? { ...ref } : undefined,
      },
    });
    const agenda = /^agenda:(.+):(\d{4}-\d{2}-\d{2}):post$/.exec(message.idempotencyKey);
    if (ref && agenda && message.kind === "post") {
      // The week's agenda message, for whoever updates it later (ticked action items).
      await tx.weeklyAgenda.updateMany({
        where: { scope: agenda[1], weekStart: new Date(`${agenda[2]}T00:00:00Z`) },
        data: { conversation: ref.conversation, messageRef: ref.messageId },
      });
    }
    if (ref && message.offerId && message.kind === "post") {
      await tx.offer.update({
        where: { id: message.offerId },
        data: { conversation: ref.conversation, messageRef: ref.messageId, postedAt: now },
      });
    }
  });
}

/**
 * Puts a message back for a later try; `countAttempt` is false for rate limits, which are not failures.
 * `notDelivered`: the platform said so (a rate limit), so no earlier attempt needs looking for.
 */
export async function rescheduleOutbox(
  db: Db,
  id: string,
  options: { nextAttemptAt: Date; error?: string; countAttempt: boolean; notDelivered?: boolean },
) {
  await db.outboxMessage.update({
    where: { id },
    data: {
      nextAttemptAt: options.nextAttemptAt,
      lockedUntil: null,
      lastError: options.error,
      attempts: options.countAttempt ? { increment: 1 } : undefined,
      attemptStartedAt: options.notDelivered ? null : undefined,
    },
  });
}

export async function failOutbox(db: Db, id: string, error: string) {
  await db.outboxMessage.update({
    where: { id },
    data: { status: "failed", lockedUntil: null, lastError: error, attempts: { increment: 1 } },
  });
}

/** Gives back leases this worker no longer needs (e.g. the rest of a rate-limited conversation's queue). */
export async function releaseOutbox(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  await db.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { lockedUntil: null } });
}
