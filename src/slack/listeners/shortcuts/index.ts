/** Shortcuts: "Add to agenda" on any message. */
import type { App, MessageShortcut } from "@slack/bolt";
import { ADD_TO_AGENDA_SHORTCUT } from "../../agenda-action-modal.ts";
import type { SlackListenerDeps } from "../listener-deps.ts";
import { addToAgenda } from "./add-to-agenda.ts";

export function register(app: App, deps: SlackListenerDeps): void {
  app.shortcut<MessageShortcut>({ type: "message_action", callback_id: ADD_TO_AGENDA_SHORTCUT }, addToAgenda(deps));
}
