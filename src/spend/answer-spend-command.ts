/**
 * The admin verb `spend <amount> <channel> [campaign] [week]` for every platform: records one week's marketing
 * spend (replacing what that week, channel and campaign had), or answers with the usage or a refusal, privately.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import { parseSpendCommand, SPEND_USAGE } from "../domain/kpi/parse-spend-command.ts";
import { formatDay } from "../domain/kpi/period.ts";
import { localParts } from "../domain/sla/business-time.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

export interface SpendCommandDeps {
  prisma: PrismaClient;
  batonConfig: () => BatonConfig;
  /** Who may record spend; the configuration's `admins` unless the caller knows better (the local operator). */
  isAdmin?: (actor: string) => boolean;
}

const reply = (text: string): ChatMessage => ({ text, blocks: [{ type: "text", text }] });

/** `actor` is the platform-namespaced user who typed it (`slack:U0123`); only the configuration's admins may. */
export async function answerSpendCommand(
  deps: SpendCommandDeps,
  args: string,
  actor: string,
  now: Date,
): Promise<ChatMessage> {
  const config = deps.batonConfig();
  const isAdmin = deps.isAdmin ?? ((user: string) => config.admins.includes(user));
  if (!isAdmin(actor)) return reply("Only Baton's admins can record marketing spend.");
  const local = localParts(now, config.timezone);
  const parsed = parseSpendCommand(args, formatDay(local));
  if (!parsed.ok) return reply(`${parsed.error} Usage: ${SPEND_USAGE}`);
  const { week, channel, campaign, amount, currency } = parsed.row;
  const weekStart = new Date(`${week}T00:00:00Z`);
  const data = { amount: new Prisma.Decimal(amount), currency };
  await deps.prisma.$transaction([
    deps.prisma.marketingSpend.upsert({
      where: { weekStart_channel_campaign: { weekStart, channel, campaign } },
      create: { weekStart, channel, campaign, ...data },
      update: data,
    }),
    deps.prisma.auditLog.create({
      data: { actor, action: "spend.recorded", details: { week, channel, campaign, amount, currency } },
    }),
  ]);
  const what = campaign ? `${channel} · ${campaign}` : channel;
  return reply(`Recorded ${amount.toFixed(2)} ${currency} for ${what}, week of ${week}.`);
}
