/**
 * The playground's `/baton …` box. Today it runs the console's commands; the one call below is where the shared
 * `/baton` grammar plugs in once Slack, Teams and the console share it.
 */

import { runConsoleCommand } from "../console/console-commands.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import type { HandoffService } from "../handoff/handoff-types.ts";

export interface PlaygroundCommandDeps {
  handoff: HandoffService;
  reloadConfig: () => Promise<{ message: ChatMessage }>;
}

/** Runs `text` (with or without the leading `/baton`) and returns what Baton answers. */
export function runPlaygroundCommand(deps: PlaygroundCommandDeps, text: string): Promise<string> {
  return runConsoleCommand(deps.handoff, text.replace(/^\s*\/baton\b/, ""), deps.reloadConfig);
}
