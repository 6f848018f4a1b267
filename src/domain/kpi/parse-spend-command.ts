/**
 * The admin verb `spend <amount> <channel> [campaign] [week]`: one week's marketing spend typed in chat, checked by
 * the same rules as the CSV import. The week defaults to the current one; any day names its week.
 */
import { type TSpendRow, ZSpendRow } from "./marketing-spend.ts";
import { tokenizeCommand } from "./parse-kpi-command.ts";
import { parseDay } from "./period.ts";

export const SPEND_USAGE =
  'spend <amount> <channel> [campaign] [week], e.g. `spend 1200 paid-search "Q4 webinar" 2026-11-16`';

export type ParsedSpendCommand = { ok: true; row: TSpendRow } | { ok: false; error: string };

export function parseSpendCommand(text: string, today: string): ParsedSpendCommand {
  const tokens = tokenizeCommand(text);
  if (!tokens) return { ok: false, error: "A quote is not closed." };
  const [amount, channel, ...rest] = tokens;
  if (!amount || !channel) return { ok: false, error: "Give at least an amount and a channel." };
  const week = rest.length > 0 && parseDay(rest[rest.length - 1]) ? (rest.pop() as string) : undefined;
  if (rest.length > 1) return { ok: false, error: `Too many words: put a campaign with spaces in quotes.` };
  const result = ZSpendRow.safeParse({ week: week ?? today, channel, campaign: rest[0], amount });
  if (result.success) return { ok: true, row: result.data };
  const issue = result.error.issues[0];
  return { ok: false, error: `${String(issue.path[0])} ${issue.message}.` };
}
