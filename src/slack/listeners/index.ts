/** Registers every Slack listener, one kind per folder, one handler per file (as in Bolt's starter template). */
import type { App } from "@slack/bolt";
import * as actions from "./actions/index.ts";
import * as commands from "./commands/index.ts";
import * as events from "./events/index.ts";
import type { SlackListenerDeps } from "./listener-deps.ts";
import * as views from "./views/index.ts";

export function registerListeners(app: App, deps: SlackListenerDeps): void {
  actions.register(app, deps);
  views.register(app, deps);
  commands.register(app, deps);
  events.register(app, deps);
}
