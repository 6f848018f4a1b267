/** Registers every Slack listener, one kind per folder, one handler per file (as in Bolt's starter template). */
import type { App } from "@slack/bolt";
import { AGENDA_ACTION_DONE } from "../../domain/agenda/action-item-messages.ts";
import { LEAD_ACTIONS } from "../../domain/lead-card.ts";
import { ADD_TO_AGENDA_MODAL, ADD_TO_AGENDA_SHORTCUT } from "../agenda-action-modal.ts";
import type { HandledSlackRequests } from "../classify-slack-request.ts";
import { DEAL_OUTCOME_MODAL_CALLBACK_ID } from "../deal-outcome-modal.ts";
import { REJECT_MODAL_CALLBACK_ID } from "../reject-modal.ts";
import * as actions from "./actions/index.ts";
import * as commands from "./commands/index.ts";
import { BATON_COMMAND } from "./commands/index.ts";
import * as events from "./events/index.ts";
import type { SlackListenerDeps } from "./listener-deps.ts";
import * as shortcuts from "./shortcuts/index.ts";
import * as views from "./views/index.ts";

export function registerListeners(app: App, deps: SlackListenerDeps): void {
  actions.register(app, deps);
  views.register(app, deps);
  commands.register(app, deps);
  events.register(app, deps);
  shortcuts.register(app, deps);
}

/** What the listeners above answer; anything else is acknowledged before Bolt sees it (guard-slack-http.ts). */
export const HANDLED_SLACK_REQUESTS: HandledSlackRequests = {
  actions: [...Object.values(LEAD_ACTIONS), AGENDA_ACTION_DONE],
  views: [REJECT_MODAL_CALLBACK_ID, ADD_TO_AGENDA_MODAL, DEAL_OUTCOME_MODAL_CALLBACK_ID],
  shortcuts: [ADD_TO_AGENDA_SHORTCUT],
  commands: [BATON_COMMAND],
  events: ["app_uninstalled", "tokens_revoked"],
};
