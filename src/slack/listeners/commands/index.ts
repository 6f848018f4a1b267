/** Slash commands. */
import type { App } from "@slack/bolt";
import type { SlackListenerDeps } from "../listener-deps.ts";
import { batonCommand } from "./baton-command.ts";

export const BATON_COMMAND = "/baton";

export function register(app: App, deps: SlackListenerDeps): void {
  app.command(BATON_COMMAND, batonCommand(deps));
}
