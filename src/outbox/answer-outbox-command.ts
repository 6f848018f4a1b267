/**
 * `/baton outbox` (admins): what the outbox has not delivered — messages given up on (dead letters, kept with
 * their error) and messages stuck (retrying after errors, or due for a while and still not out) — and
 * `outbox retry <id>`, which puts one back in the queue now with a fresh set of attempts.
 */
import type { ChatMessage } from "../domain/chat-message.ts";
import type { OutboxMessage, PrismaClient } from "../generated/prisma/client.ts";

/** A pending message due longer than this without going out is stuck (blocked, platform off, backing off). */
export const STUCK_AFTER_MS = 5 * 60_000;
const LISTED = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function reply(...paragraphs: string[]): ChatMessage {
  return {
    text: paragraphs.join("\n\n").replaceAll("*", "").replaceAll("`", ""),
    blocks: paragraphs.map((text) => ({ type: "text" as const, text })),
  };
}

function ago(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

function describe(message: OutboxMessage, now: Date): string {
  const error = message.lastError ? `: ${message.lastError.slice(0, 160)}` : "";
  return `• \`${message.id}\` ${message.kind} to ${message.conversation}, queued ${ago(message.createdAt, now)}, ${message.attempts} attempt(s)${error}`;
}

/** The dead letters and stuck messages, newest first, at most ten of each, with how many there are in all. */
export async function listStuckOutbox(prisma: PrismaClient, now: Date): Promise<ChatMessage> {
  const stuckWhere = {
    status: "pending" as const,
    OR: [{ attempts: { gt: 0 } }, { nextAttemptAt: { lt: new Date(now.getTime() - STUCK_AFTER_MS) } }],
  };
  const [failed, failedCount, stuck, stuckCount] = await Promise.all([
    prisma.outboxMessage.findMany({ where: { status: "failed" }, orderBy: { sequence: "desc" }, take: LISTED }),
    prisma.outboxMessage.count({ where: { status: "failed" } }),
    prisma.outboxMessage.findMany({ where: stuckWhere, orderBy: { sequence: "desc" }, take: LISTED }),
    prisma.outboxMessage.count({ where: stuckWhere }),
  ]);
  if (failedCount === 0 && stuckCount === 0) return reply("*Outbox*: nothing stuck, nothing given up on.");
  const section = (title: string, rows: OutboxMessage[], count: number) =>
    `*${title}* (${count}${count > rows.length ? `, newest ${rows.length} shown` : ""})\n${rows.map((row) => describe(row, now)).join("\n") || "none"}`;
  return reply(
    section("Given up on", failed, failedCount),
    section("Stuck", stuck, stuckCount),
    "`outbox retry <message id>` tries one again now.",
  );
}

/** Puts a failed (or stuck) message back in the queue, due now, with its attempts counted afresh. */
export async function retryOutboxMessage(prisma: PrismaClient, id: string, now: Date): Promise<ChatMessage> {
  const message = UUID.test(id) ? await prisma.outboxMessage.findUnique({ where: { id } }) : null;
  if (!message) return reply(`No outbox message \`${id.slice(0, 60)}\`. \`outbox\` lists them with their ids.`);
  if (message.status === "sent") return reply(`Outbox message \`${id}\` was delivered already: nothing to retry.`);
  // Conditional, like every claim: a worker that delivered it meanwhile, or holds it right now, wins.
  const { count } = await prisma.outboxMessage.updateMany({
    where: { id, status: message.status, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    data: { status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null },
  });
  if (count === 0) return reply(`Outbox message \`${id}\` changed meanwhile; run \`outbox\` again.`);
  return reply(
    `Outbox message \`${id}\` (${message.kind} to ${message.conversation}) is queued again and goes out within seconds.`,
  );
}
