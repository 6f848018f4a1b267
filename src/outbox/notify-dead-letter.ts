/**
 * A message the outbox gave up on (a permanent error, or the last attempt failed) is kept with its error, and the
 * admins named in the configuration are told once each, by direct message through the outbox itself. A notice
 * that fails in turn is not announced again: that would loop.
 */
import type { ChatMessage } from "../domain/chat-message.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { enqueueOutbox } from "../repositories/outbox.ts";

export const DEAD_LETTER_KEY_PREFIX = "dead-letter:";

export function deadLetterNotice(input: {
  id: string;
  kind: string;
  conversation: string;
  attempts: number;
  error: string;
}): ChatMessage {
  const text = `Baton gave up on delivering a message (${input.kind} to ${input.conversation}) after ${input.attempts} attempt(s): ${input.error}. It is kept as outbox message ${input.id}.`;
  return { text, blocks: [{ type: "text", text: `⚠️ ${text}` }] };
}

/** Queues one direct message per admin about dead letter `outboxId`; true when any was new. */
export async function notifyDeadLetter(
  prisma: PrismaClient,
  admins: readonly string[],
  outboxId: string,
  now = new Date(),
): Promise<boolean> {
  const dead = await prisma.outboxMessage.findUnique({ where: { id: outboxId } });
  if (dead?.status !== "failed" || dead.idempotencyKey.startsWith(DEAD_LETTER_KEY_PREFIX)) return false;
  const message = deadLetterNotice({
    id: dead.id,
    kind: dead.kind,
    conversation: dead.conversation,
    attempts: dead.attempts,
    error: dead.lastError ?? "unknown error",
  });
  let queued = false;
  for (const admin of admins) {
    queued =
      (await enqueueOutbox(prisma, {
        // Keyed by message and admin: however often this runs (a replica, a restart), each admin is told once.
        idempotencyKey: `${DEAD_LETTER_KEY_PREFIX}${dead.id}:${admin}`,
        conversation: admin,
        payload: { kind: "direct", message },
        notBefore: now,
      })) || queued;
  }
  return queued;
}
