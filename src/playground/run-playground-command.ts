/**
 * The playground's `/baton …` box: the console's commands (acting as a rep on a card) and, for everything else, the
 * command grammar Slack, Teams and the console share.
 */
import type { AnswerCommand } from "../commands/answer-command.ts";
import { runConsoleCommand } from "../console/console-commands.ts";
import type { HandoffService } from "../handoff/handoff-types.ts";

export interface PlaygroundCommandDeps {
  handoff: HandoffService;
  answerCommand: AnswerCommand;
}

/** Runs `text` (with or without the leading `/baton`) and returns what Baton answers. */
export function runPlaygroundCommand(deps: PlaygroundCommandDeps, text: string): Promise<string> {
  return runConsoleCommand(deps.handoff, text.replace(/^\s*\/baton\b/, ""), deps.answerCommand);
}
