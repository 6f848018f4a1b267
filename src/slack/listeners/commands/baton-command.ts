/**
 * `/baton …`: `help`, `lead <email or id>`; `kpi` and `agenda` are named in the contract and arrive with later
 * releases. Every answer is ephemeral: only the person who typed it needs it.
 */
import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { ChatMessage } from "../../../domain/chat-message.ts";
import { AppError } from "../../../errors.ts";
import { renderBlocks } from "../../render-blocks.ts";
import type { SlackListenerDeps } from "../listener-deps.ts";

export type BatonCommand =
  | { kind: "help" }
  | { kind: "lead"; query: string }
  | { kind: "reload" }
  | { kind: "not_yet"; verb: "kpi" | "agenda" }
  | { kind: "invalid"; problem: string };

/** Reads the text after `/baton`. Slack may send an email as `<mailto:a@b.example|a@b.example>`: one word. */
export function parseBatonCommand(text: string): BatonCommand {
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
            ? "`/baton lead` needs the lead's email address or id."
            : "`/baton lead` takes one email address or lead id.",
      };
    case "reload":
      return { kind: "reload" };
    case "kpi":
    case "agenda":
      return { kind: "not_yet", verb: verb.toLowerCase() as "kpi" | "agenda" };
    default:
      return { kind: "invalid", problem: `Baton doesn't know \`${verb.slice(0, 40)}\`.` };
  }
}

const USAGE = [
  "*Baton* hands marketing's leads to sales. Lead cards appear in your team's channel: *Accept* or *Reject* them there, then log first touch, mark SQL or disqualify from the same card.",
  "• `/baton lead <email or lead id>`: a lead's status, owner, clocks and history",
  "• `/baton help`: this message",
  "• `/baton reload`: re-read Baton's configuration (admins only)",
].join("\n");

function message(...paragraphs: string[]): ChatMessage {
  return {
    text: paragraphs.join("\n\n").replaceAll("*", ""),
    blocks: paragraphs.map((text) => ({ type: "text" as const, text })),
  };
}

export const BATON_HELP = message(USAGE);

/** The reply to every command but `lead`, which needs a lookup. */
export function immediateReply(command: Exclude<BatonCommand, { kind: "lead" | "reload" }>): ChatMessage {
  switch (command.kind) {
    case "help":
      return BATON_HELP;
    case "not_yet":
      return message(`\`/baton ${command.verb}\` is not available in this version of Baton yet.`, USAGE);
    case "invalid":
      return message(command.problem, USAGE);
  }
}

const ephemeral = (reply: ChatMessage): RespondArguments => ({ response_type: "ephemeral", ...renderBlocks(reply) });

export function batonCommand(deps: SlackListenerDeps) {
  return async ({ ack, command, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = parseBatonCommand(command.text ?? "");
    if (parsed.kind === "reload") {
      await ack();
      const outcome = deps.reloadConfig
        ? await deps.reloadConfig(`slack:${command.user_id}`)
        : { message: message("This Baton has no configuration file to reload.") };
      await respond(ephemeral(outcome.message)).catch((failure: unknown) =>
        deps.logger.warn({ err: failure }, "could not answer /baton reload"),
      );
      return;
    }
    if (parsed.kind !== "lead") {
      // Nothing to look up: the answer rides on the acknowledgement itself.
      await ack(ephemeral(immediateReply(parsed)));
      return;
    }
    await ack();
    try {
      await respond(ephemeral(await deps.handoff.describeLead(parsed.query)));
    } catch (error) {
      deps.logger.error({ err: error, user: command.user_id }, "Slack /baton lead failed");
      await respond(ephemeral(message(AppError.from(error).userMessage))).catch((failure: unknown) =>
        deps.logger.warn({ err: failure }, "could not answer /baton"),
      );
    }
  };
}
