/** Modal submissions. */
import type { App } from "@slack/bolt";
import { ADD_TO_AGENDA_MODAL } from "../../agenda-action-modal.ts";
import { DEAL_OUTCOME_MODAL_CALLBACK_ID } from "../../deal-outcome-modal.ts";
import { REJECT_MODAL_CALLBACK_ID } from "../../reject-modal.ts";
import type { SlackListenerDeps } from "../listener-deps.ts";
import { submitAgendaAction } from "./submit-agenda-action.ts";
import { submitDealOutcome } from "./submit-deal-outcome.ts";
import { submitRejectReason } from "./submit-reject-reason.ts";

export function register(app: App, deps: SlackListenerDeps): void {
  app.view({ type: "view_submission", callback_id: REJECT_MODAL_CALLBACK_ID }, submitRejectReason(deps));
  app.view({ type: "view_submission", callback_id: DEAL_OUTCOME_MODAL_CALLBACK_ID }, submitDealOutcome(deps));
  app.view({ type: "view_submission", callback_id: ADD_TO_AGENDA_MODAL }, submitAgendaAction(deps));
}
