/**
 * The "Add to agenda" modal: opened by the message shortcut (`callback_id: "agenda_add_action"`) on any message,
 * with the message's text as the item's text, and submitted back as a `view_submission` with
 * `callback_id: "agenda_add_action_modal"`. Block ids and action ids are the field names below, so errors map
 * straight onto the fields.
 */
import type { webApi } from "@slack/bolt";
import { MAX_ACTION_TEXT } from "../domain/agenda/action-item-command.ts";
import type { AgendaScopeView } from "../domain/agenda/action-item-messages.ts";

/** The message shortcut's callback id (manifests/slack/*.yml). */
export const ADD_TO_AGENDA_SHORTCUT = "agenda_add_action";
export const ADD_TO_AGENDA_MODAL = "agenda_add_action_modal";
export const AGENDA_ACTION_FIELDS = { text: "text", owner: "owner", due: "due", scope: "scope" } as const;

/** Carried through the modal in `private_metadata`: the message the item comes from. */
export interface AddToAgendaContext {
  /** Slack channel id, `C…`. */
  channel: string;
  /** The message's `ts`. */
  messageTs: string;
  /** The workspace's domain (`test-corp` in test-corp.slack.com), for a permalink when Slack gives none. */
  teamDomain?: string;
}

/** Slack's message text as a person wrote it: entities decoded, mentions and links left as Slack keeps them. */
export function plainMessageText(text: string | undefined): string {
  const decoded = (text ?? "").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&").trim();
  return decoded.length <= MAX_ACTION_TEXT ? decoded : `${decoded.slice(0, MAX_ACTION_TEXT - 1)}…`;
}

const option = (scope: AgendaScopeView) => ({
  text: { type: "plain_text" as const, text: scope.title.replace(/^the /, "").replace(/^./, (c) => c.toUpperCase()) },
  value: scope.id,
});

export function buildAddToAgendaModal(
  context: AddToAgendaContext,
  options: { text: string; scopes: AgendaScopeView[]; initialScope: string },
): webApi.View {
  const initial = options.scopes.find((scope) => scope.id === options.initialScope) ?? options.scopes[0];
  return {
    type: "modal",
    callback_id: ADD_TO_AGENDA_MODAL,
    private_metadata: JSON.stringify(context),
    title: { type: "plain_text", text: "Add to agenda" },
    submit: { type: "plain_text", text: "Add" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: AGENDA_ACTION_FIELDS.text,
        label: { type: "plain_text", text: "Action item" },
        element: {
          type: "plain_text_input",
          action_id: AGENDA_ACTION_FIELDS.text,
          multiline: true,
          max_length: MAX_ACTION_TEXT,
          ...(options.text ? { initial_value: options.text } : {}),
          placeholder: { type: "plain_text", text: "What is to be done?" },
        },
      },
      {
        type: "input",
        block_id: AGENDA_ACTION_FIELDS.owner,
        label: { type: "plain_text", text: "Owner" },
        element: {
          type: "users_select",
          action_id: AGENDA_ACTION_FIELDS.owner,
          placeholder: { type: "plain_text", text: "Who does it?" },
        },
      },
      {
        type: "input",
        block_id: AGENDA_ACTION_FIELDS.due,
        optional: true,
        label: { type: "plain_text", text: "Due" },
        element: {
          type: "datepicker",
          action_id: AGENDA_ACTION_FIELDS.due,
          placeholder: { type: "plain_text", text: "No due date" },
        },
      },
      {
        type: "input",
        block_id: AGENDA_ACTION_FIELDS.scope,
        label: { type: "plain_text", text: "Agenda" },
        hint: { type: "plain_text", text: "Open items carry over to every next agenda until they are ticked off." },
        element: {
          type: "static_select",
          action_id: AGENDA_ACTION_FIELDS.scope,
          options: options.scopes.map(option),
          ...(initial ? { initial_option: option(initial) } : {}),
        },
      },
    ],
  };
}

/** The modal's `private_metadata`, or undefined when it is not one Baton wrote. */
export function parseAddToAgendaContext(privateMetadata: string | undefined): AddToAgendaContext | undefined {
  try {
    const parsed = JSON.parse(privateMetadata ?? "") as Partial<AddToAgendaContext>;
    if (typeof parsed.channel !== "string" || typeof parsed.messageTs !== "string") return undefined;
    return parsed as AddToAgendaContext;
  } catch {
    return undefined;
  }
}

type ViewStateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_user?: string | null;
      selected_date?: string | null;
      selected_option?: { value?: string } | null;
    }
  >
>;

export interface AddToAgendaSubmission {
  text: string;
  /** Slack user id, `U…`. */
  owner?: string;
  /** `YYYY-MM-DD`, in the agenda's time zone. */
  due?: string;
  scope?: string;
}

export function readAddToAgendaSubmission(values: ViewStateValues): AddToAgendaSubmission {
  const field = (name: string) => values[name]?.[name];
  return {
    text: (field(AGENDA_ACTION_FIELDS.text)?.value ?? "").trim(),
    owner: field(AGENDA_ACTION_FIELDS.owner)?.selected_user ?? undefined,
    due: field(AGENDA_ACTION_FIELDS.due)?.selected_date ?? undefined,
    scope: field(AGENDA_ACTION_FIELDS.scope)?.selected_option?.value ?? undefined,
  };
}

/** Where the message lives: Slack's own permalink format, for when `chat.getPermalink` cannot answer. */
export function fallbackPermalink(context: AddToAgendaContext): string | null {
  if (!context.teamDomain || !/^[a-z0-9-]+$/i.test(context.teamDomain)) return null;
  return `https://${context.teamDomain}.slack.com/archives/${context.channel}/p${context.messageTs.replace(".", "")}`;
}
