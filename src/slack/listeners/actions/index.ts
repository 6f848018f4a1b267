/** Buttons on Baton's lead cards, by the action ids of CONTRACT.md and `LEAD_ACTIONS`; the agenda's checkboxes. */
import type { App, BlockAction, ButtonAction, CheckboxesAction } from "@slack/bolt";
import { AGENDA_ACTION_DONE } from "../../../domain/agenda/action-item-messages.ts";
import { LEAD_ACTIONS } from "../../../domain/lead-card.ts";
import type { SlackListenerDeps } from "../listener-deps.ts";
import { acceptLead } from "./accept-lead.ts";
import { openDealOutcomeModal } from "./open-deal-outcome-modal.ts";
import { openRejectModal } from "./open-reject-modal.ts";
import { recordLeadStep } from "./record-lead-step.ts";
import { tickAgendaAction } from "./tick-agenda-action.ts";

export function register(app: App, deps: SlackListenerDeps): void {
  const button = (actionId: string) => ({ type: "block_actions" as const, action_id: actionId });
  app.action<BlockAction<ButtonAction>>(button(LEAD_ACTIONS.accept), acceptLead(deps));
  app.action<BlockAction<ButtonAction>>(button(LEAD_ACTIONS.reject), openRejectModal(deps));
  app.action<BlockAction<ButtonAction>>(button(LEAD_ACTIONS.firstTouch), recordLeadStep(deps, "first_touch"));
  app.action<BlockAction<ButtonAction>>(button(LEAD_ACTIONS.markSql), recordLeadStep(deps, "sql"));
  app.action<BlockAction<ButtonAction>>(button(LEAD_ACTIONS.disqualify), recordLeadStep(deps, "disqualified"));
  app.action<BlockAction<ButtonAction>>(button(LEAD_ACTIONS.opportunity), openDealOutcomeModal(deps, "opportunity"));
  app.action<BlockAction<ButtonAction>>(button(LEAD_ACTIONS.won), openDealOutcomeModal(deps, "won"));
  app.action<BlockAction<ButtonAction>>(button(LEAD_ACTIONS.lost), openDealOutcomeModal(deps, "lost"));
  app.action<BlockAction<CheckboxesAction>>(
    { type: "block_actions", action_id: AGENDA_ACTION_DONE },
    tickAgendaAction(deps),
  );
}
