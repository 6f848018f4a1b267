/**
 * Local mode's keyboard: with no Slack or Teams, a person types what they would click, e.g.
 * `accept 0193… as ada` or `reject 0193… as ada wrong_territory`, and watches the cards change in the terminal.
 * Everything else (`help`, `lead …`, `kpi …`, `reload`) is the command grammar every platform shares.
 */
import type { AnswerCommand } from "../commands/answer-command.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import { helpMessage } from "../domain/commands/command-grammar.ts";
import { REJECT_REASONS, type RejectReasonCode } from "../domain/lead-card.ts";
import { type DealOutcomeStep, isDealOutcomeStep } from "../domain/leads/lifecycle.ts";
import type { HandoffService, LeadStep } from "../handoff/handoff-types.ts";
import { renderConsoleMessage } from "./console-chat.ts";

export type ConsoleCommand =
  /** Not a click: a command of the shared grammar. */
  | { kind: "shared"; text: string }
  | { kind: "accept"; leadId: string; rep: string }
  | { kind: "reject"; leadId: string; rep: string; reason: string; comment?: string }
  | { kind: "step"; leadId: string; rep: string; step: LeadStep }
  | {
      kind: "deal";
      leadId: string;
      rep: string;
      step: DealOutcomeStep;
      amount?: string;
      currency?: string;
      reason?: string;
    }
  | { kind: "invalid"; message: string };

/** The person at the terminal: they started Baton, so they are its admin here. */
export const CONSOLE_OPERATOR = "console:operator";

const STEP_WORDS: Record<string, LeadStep> = { touch: "first_touch", sql: "sql", disqualify: "disqualified" };

/** What local mode adds to the shared commands: acting as a rep on the cards printed here. */
export const LOCAL_MODE_HELP = [
  "Local mode: act on the cards as a rep of the config (rep = a rep id, e.g. ada):",
  "  accept <lead id> as <rep>",
  `  reject <lead id> as <rep> <reason> [comment]   reasons: ${REJECT_REASONS.map((r) => r.code).join(", ")}`,
  "  touch | sql | disqualify <lead id> as <rep>",
  "  opportunity | won <lead id> as <rep> <amount> [currency]      after SQL, for teams without a CRM hook",
  "  lost <lead id> as <rep> <reason>",
].join("\n");

/** `help` at the prompt: the shared help, then what only local mode has. */
export const CONSOLE_HELP = `${renderConsoleMessage(helpMessage())}\n\n${LOCAL_MODE_HELP}`;

export function parseConsoleCommand(line: string): ConsoleCommand {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, target, as, rep, ...rest] = words;
  const known =
    verb === "accept" || verb === "reject" || (verb !== undefined && (verb in STEP_WORDS || isDealOutcomeStep(verb)));
  if (!known) return { kind: "shared", text: line };
  if (!target || as !== "as" || !rep) {
    return {
      kind: "invalid",
      message: `usage: ${verb} <lead id> as <rep>${USAGE_TAIL[verb] ?? ""}`,
    };
  }
  if (verb === "accept") return { kind: "accept", leadId: target, rep };
  if (verb === "reject") {
    const [reason, ...comment] = rest;
    if (!reason) return { kind: "invalid", message: "usage: reject <lead id> as <rep> <reason> [comment]" };
    return { kind: "reject", leadId: target, rep, reason, comment: comment.join(" ") || undefined };
  }
  if (isDealOutcomeStep(verb)) {
    if (verb === "lost") return { kind: "deal", leadId: target, rep, step: verb, reason: rest.join(" ") };
    const [amount, currency] = rest;
    return { kind: "deal", leadId: target, rep, step: verb, amount, currency };
  }
  return { kind: "step", leadId: target, rep, step: STEP_WORDS[verb] };
}

const USAGE_TAIL: Record<string, string> = {
  reject: " <reason> [comment]",
  opportunity: " <amount> [currency]",
  won: " <amount> [currency]",
  lost: " <reason>",
};

/** Runs one typed command; returns the text to print (cards themselves arrive through the console channel). */
export async function runConsoleCommand(
  handoff: HandoffService,
  line: string,
  answerCommand: AnswerCommand,
): Promise<string> {
  const command = parseConsoleCommand(line);
  const say = (message: ChatMessage) => renderConsoleMessage(message);
  switch (command.kind) {
    case "shared": {
      const answer = say(await answerCommand(command.text, CONSOLE_OPERATOR));
      return /^\s*(help)?\s*$/i.test(command.text) ? `${answer}\n\n${LOCAL_MODE_HELP}` : answer;
    }
    case "invalid":
      return command.message;
    case "accept": {
      const result = await handoff.acceptLead(command.leadId, { user: `console:${command.rep}` });
      return result.outcome === "accepted" ? `Accepted by ${result.ownerName}.` : say(result.reply);
    }
    case "reject": {
      const result = await handoff.rejectLead(
        command.leadId,
        { user: `console:${command.rep}` },
        { reason: command.reason as RejectReasonCode, comment: command.comment },
      );
      if (result.outcome === "invalid") return Object.values(result.errors).join(" ");
      if (result.outcome === "rejected") {
        return `Rejected.${result.reroutedToTeam ? ` Re-routed to ${result.reroutedToTeam}.` : ""}`;
      }
      return say(result.reply);
    }
    case "step": {
      const result = await handoff.recordStep(command.leadId, { user: `console:${command.rep}` }, command.step);
      return result.outcome === "recorded" ? "Recorded." : say(result.reply);
    }
    case "deal": {
      const { amount, currency, reason } = command;
      const result = await handoff.recordDealOutcome(command.leadId, { user: `console:${command.rep}` }, command.step, {
        amount,
        currency,
        reason,
      });
      if (result.outcome === "invalid") return Object.values(result.errors).join(" ");
      return result.outcome === "recorded" ? "Recorded." : say(result.reply);
    }
  }
}
