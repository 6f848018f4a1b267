/**
 * Local mode's keyboard: with no Slack or Teams, a person types what they would click, e.g.
 * `accept 0193… as ada` or `reject 0193… as ada wrong_territory`, and watches the cards change in the terminal.
 */
import type { ChatMessage } from "../domain/chat-message.ts";
import { REJECT_REASONS, type RejectReasonCode } from "../domain/lead-card.ts";
import type { HandoffService, LeadStep } from "../handoff/handoff-types.ts";
import { renderConsoleMessage } from "./console-chat.ts";

export type ConsoleCommand =
  | { kind: "help" }
  | { kind: "reload" }
  | { kind: "lead"; query: string }
  | { kind: "accept"; leadId: string; rep: string }
  | { kind: "reject"; leadId: string; rep: string; reason: string; comment?: string }
  | { kind: "step"; leadId: string; rep: string; step: LeadStep }
  | { kind: "invalid"; message: string };

const STEP_WORDS: Record<string, LeadStep> = { touch: "first_touch", sql: "sql", disqualify: "disqualified" };

export const CONSOLE_HELP = [
  "Local mode commands (rep = a rep id from the config, e.g. ada):",
  "  accept <lead id> as <rep>",
  `  reject <lead id> as <rep> <reason> [comment]   reasons: ${REJECT_REASONS.map((r) => r.code).join(", ")}`,
  "  touch | sql | disqualify <lead id> as <rep>",
  "  lead <email or lead id>",
  "  reload            re-read the configuration file",
  "  help",
].join("\n");

export function parseConsoleCommand(line: string): ConsoleCommand {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, target, as, rep, ...rest] = words;
  if (!verb || verb === "help") return { kind: "help" };
  if (verb === "reload") return { kind: "reload" };
  if (verb === "lead") {
    return target ? { kind: "lead", query: target } : { kind: "invalid", message: "usage: lead <email or lead id>" };
  }
  const known = verb === "accept" || verb === "reject" || verb in STEP_WORDS;
  if (!known) return { kind: "invalid", message: `unknown command "${verb}". Type help.` };
  if (!target || as !== "as" || !rep) {
    return {
      kind: "invalid",
      message: `usage: ${verb} <lead id> as <rep>${verb === "reject" ? " <reason> [comment]" : ""}`,
    };
  }
  if (verb === "accept") return { kind: "accept", leadId: target, rep };
  if (verb === "reject") {
    const [reason, ...comment] = rest;
    if (!reason) return { kind: "invalid", message: "usage: reject <lead id> as <rep> <reason> [comment]" };
    return { kind: "reject", leadId: target, rep, reason, comment: comment.join(" ") || undefined };
  }
  return { kind: "step", leadId: target, rep, step: STEP_WORDS[verb] };
}

/** Runs one typed command; returns the text to print (cards themselves arrive through the console channel). */
export async function runConsoleCommand(
  handoff: HandoffService,
  line: string,
  reloadConfig?: () => Promise<{ message: ChatMessage }>,
): Promise<string> {
  const command = parseConsoleCommand(line);
  const say = (message: ChatMessage) => renderConsoleMessage(message);
  switch (command.kind) {
    case "help":
      return CONSOLE_HELP;
    case "reload":
      return reloadConfig ? say((await reloadConfig()).message) : "Nothing to reload.";
    case "invalid":
      return command.message;
    case "lead":
      return say(await handoff.describeLead(command.query));
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
  }
}
