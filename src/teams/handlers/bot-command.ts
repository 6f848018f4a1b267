/**
 * Messages to the bot (in a channel after an @mention, or in a personal chat): `help` and `lead <email or id>`,
 * answered as cards. `kpi` and `agenda` are named in the contract and arrive with later releases.
 */
import { type TurnContext, TurnContext as TurnContextClass } from "botbuilder";
import type { ChatMessage } from "../../domain/chat-message.ts";
import { AppError } from "../../errors.ts";
import { cardActivity } from "../teams-chat.ts";
import type { TeamsHandlerDeps } from "./handler-deps.ts";

export type TeamsCommand =
  | { kind: "help" }
  | { kind: "lead"; query: string }
  | { kind: "not_yet"; verb: "kpi" | "agenda" }
  | { kind: "invalid"; problem: string };

export function parseTeamsCommand(text: string): TeamsCommand {
  const [verb = "", ...args] = text.trim().split(/\s+/).filter(Boolean);
  switch (verb.toLowerCase()) {
    case "":
    case "help":
      return { kind: "help" };
    case "lead":
      if (args.length === 1) return { kind: "lead", query: args[0] };
      return {
        kind: "invalid",
        problem:
          args.length === 0
            ? "`lead` needs the lead's email address or id."
            : "`lead` takes one email address or lead id.",
      };
    case "kpi":
    case "agenda":
      return { kind: "not_yet", verb: verb.toLowerCase() as "kpi" | "agenda" };
    default:
      return { kind: "help" };
  }
}

const USAGE = [
  "*Baton* hands marketing's leads to sales. Lead cards appear in your team's channel: *Accept* or *Reject* them there, then log first touch, mark SQL or disqualify from the same card.",
  "• `lead <email or lead id>`: a lead's status, owner, clocks and history",
  "• `help`: this message",
  "In a channel, mention @Baton first.",
].join("\n");

function message(...paragraphs: string[]): ChatMessage {
  return {
    text: paragraphs.join("\n\n").replaceAll("*", "").replaceAll("`", ""),
    blocks: paragraphs.map((text) => ({ type: "text" as const, text })),
  };
}

export const TEAMS_HELP = message(USAGE);

/** The answer to one message, as a platform-neutral message. */
export async function answerCommand(deps: TeamsHandlerDeps, command: TeamsCommand): Promise<ChatMessage> {
  switch (command.kind) {
    case "help":
      return TEAMS_HELP;
    case "not_yet":
      return message(`\`${command.verb}\` is not available in this version of Baton yet.`, USAGE);
    case "invalid":
      return message(command.problem, USAGE);
    case "lead":
      try {
        return await deps.handoff.describeLead(command.query);
      } catch (error) {
        deps.logger.error({ err: error }, "Teams lead lookup failed");
        return message(AppError.from(error).userMessage);
      }
  }
}

export async function handleMessage(deps: TeamsHandlerDeps, context: TurnContext): Promise<void> {
  const withoutMention = TurnContextClass.removeRecipientMention(context.activity) ?? context.activity.text ?? "";
  // The Teams clients put an HTML non-breaking space after a mention.
  const text = withoutMention.replaceAll("&nbsp;", " ");
  const reply = await answerCommand(deps, parseTeamsCommand(text));
  await context.sendActivity(cardActivity(reply));
}
