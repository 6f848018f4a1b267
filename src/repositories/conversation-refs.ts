/**
 * Where Baton may speak unprompted: the chat platform's handle on a conversation (for Teams, the Bot Framework
 * `ConversationReference`), remembered when the bot is installed or spoken to, looked up for proactive posts.
 */
import type { ConversationId, Platform } from "../domain/chat-message.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "./outbox.ts";

export interface StoredConversationRef {
  conversation: ConversationId;
  platform: Platform;
  name: string | null;
  reference: unknown;
  updatedAt: Date;
}

export interface SaveConversationRefInput {
  /** Platform-namespaced: `teams:19:abc@thread.tacv2`. */
  conversation: ConversationId;
  platform: Platform;
  name?: string | null;
  reference: unknown;
}

/** Creates or refreshes the reference (the service URL of a conversation can move between regions). */
export async function saveConversationRef(db: Db, input: SaveConversationRefInput): Promise<void> {
  const reference = input.reference as Prisma.InputJsonValue;
  await db.conversationRef.upsert({
    where: { conversation: input.conversation },
    create: { conversation: input.conversation, platform: input.platform, name: input.name ?? null, reference },
    update: { reference, ...(input.name ? { name: input.name } : {}) },
  });
}

export async function findConversationRef(db: Db, conversation: ConversationId): Promise<StoredConversationRef | null> {
  return db.conversationRef.findUnique({ where: { conversation } });
}

/** The most recently refreshed reference of a platform: its service URL and tenant reach users Baton has not met. */
export async function findLatestConversationRef(db: Db, platform: Platform): Promise<StoredConversationRef | null> {
  return db.conversationRef.findFirst({ where: { platform }, orderBy: { updatedAt: "desc" } });
}

/** Forgets a conversation the bot was removed from. */
export async function deleteConversationRef(db: Db, conversation: ConversationId): Promise<void> {
  await db.conversationRef.deleteMany({ where: { conversation } });
}
