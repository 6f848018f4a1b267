/**
 * The arguments of the chat verb `kpi [period] [team|@rep|source:…|campaign:…]`, as typed in Slack, Teams or the
 * console: in any order, at most one of each; values with spaces in quotes (`campaign:"Q4 webinar"`).
 */
import type { KpiRequestInput } from "./kpi-request.ts";
import { PERIOD_NAMES } from "./period.ts";

export const KPI_USAGE =
  "kpi [period] [team|@rep|source:…|campaign:…]\n" +
  "period: this-week (default), last-week, mtd, qtd, 30d, 90d or YYYY-MM-DD..YYYY-MM-DD\n" +
  'e.g. `kpi qtd emea-sales`, `kpi last-week @ada`, `kpi 30d campaign:"Q4 webinar"`';

/** A rep as the person named them: a rep id (`@ada`), or a chat mention to look up. */
export type RepReference = { kind: "id"; id: string } | { kind: "user"; user: string } | { kind: "name"; name: string };

export interface KpiCommandArgs extends Omit<KpiRequestInput, "rep"> {
  rep?: RepReference;
}

export type ParsedKpiCommand = { ok: true; args: KpiCommandArgs } | { ok: false; error: string };

/** Splits on spaces outside quotes (null when a quote is not closed); Slack and Teams may curl the quotes. */
export function tokenizeCommand(text: string): string[] | null {
  const tokens: string[] = [];
  // A Teams mention (<at>Grace Hopper</at>) is one token, spaces and all.
  const pattern = /(?:<at>[^<]*<\/at>|[^\s"“”]+|["“][^"“”]*["”])+/gi;
  const normalized = text.trim();
  let consumed = 0;
  for (const match of normalized.matchAll(pattern)) {
    if (normalized.slice(consumed, match.index).trim() !== "") return null;
    tokens.push(match[0].replace(/["“”]/g, ""));
    consumed = (match.index ?? 0) + match[0].length;
  }
  return normalized.slice(consumed).trim() === "" ? tokens : null;
}

const looksLikePeriod = (token: string) =>
  (PERIOD_NAMES as readonly string[]).includes(token.toLowerCase()) || token.includes("..") || /^\d{4}-/.test(token);

export function parseKpiCommand(text: string): ParsedKpiCommand {
  const tokens = tokenizeCommand(text);
  if (!tokens) return { ok: false, error: "A quote is not closed." };
  const args: KpiCommandArgs = {};
  const once = <K extends keyof KpiCommandArgs>(key: K, value: KpiCommandArgs[K], shown: string): string | null => {
    if (args[key] !== undefined) return `Give at most one ${key} (got "${shown}" too).`;
    args[key] = value;
    return null;
  };
  for (const token of tokens) {
    let error: string | null;
    // Slack sends mentions as <@U0123ABCD|name> or <@U0123ABCD>.
    const slackMention = /^<@([A-Z0-9]+)(\|[^>]*)?>$/i.exec(token);
    // Teams keeps the display name of a mention between <at> tags.
    const teamsMention = /^<at>(.+)<\/at>$/i.exec(token);
    const prefixed = /^(source|campaign):(.*)$/i.exec(token);
    if (slackMention) error = once("rep", { kind: "user", user: `slack:${slackMention[1]}` }, token);
    else if (teamsMention) error = once("rep", { kind: "name", name: teamsMention[1] }, token);
    else if (token.startsWith("@") && token.length > 1) error = once("rep", { kind: "id", id: token.slice(1) }, token);
    else if (prefixed) {
      const key = prefixed[1].toLowerCase() as "source" | "campaign";
      if (prefixed[2].trim() === "") return { ok: false, error: `Say which ${key}: ${key}:<name>.` };
      error = once(key, prefixed[2].trim(), token);
    } else if (looksLikePeriod(token)) error = once("period", token, token);
    else error = once("team", token.toLowerCase(), token);
    if (error) return { ok: false, error };
  }
  return { ok: true, args };
}
