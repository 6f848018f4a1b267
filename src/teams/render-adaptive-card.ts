/**
 * Renders Baton's platform-neutral {@link ChatMessage} as an Adaptive Card 1.5 (what Teams supports), with buttons
 * as `Action.Execute` so that a click comes back as an `adaptiveCard/action` invoke and the card updates in place.
 */
import type { ChatAction, ChatMessage, ChecklistItem } from "../domain/chat-message.ts";
import { LEAD_ACTIONS, REJECT_REASONS } from "../domain/lead-card.ts";
import {
  DEAL_FIELDS,
  DEAL_OUTCOME_FORM,
  DEFAULT_DEAL_CURRENCY,
  type DealField,
  type DealOutcomeInput,
} from "../domain/leads/deal-outcome.ts";
import type { DealOutcomeStep } from "../domain/leads/lifecycle.ts";

export type AdaptiveElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
  fallbackText?: string;
  msteams?: { width: "Full" };
  refresh?: { action: AdaptiveElement };
}

/** Verb of the "Cancel" on the reject form: shows the card as it stands. */
export const LEAD_REFRESH_VERB = "lead_refresh";

/** Slack-flavoured light markdown (`*bold*`, `` `code` ``) to the subset Adaptive Cards understand. */
export function toCardMarkdown(text: string): string {
  return (
    text
      .replace(/(^|[^*\w])\*(?!\s)([^*\n]+?)\*(?=[^*\w]|$)/g, "$1**$2**")
      // TextBlocks show backticks literally.
      .replace(/`([^`\n]+)`/g, "$1")
      // A single newline is not a line break in Teams' card markdown.
      .replace(/\n/g, "\n\n")
  );
}

function actionFor(action: ChatAction): AdaptiveElement {
  return {
    type: "Action.Execute",
    title: action.label,
    verb: action.id,
    data: { leadId: action.value },
    ...(action.style === "primary" ? { style: "positive" } : {}),
    ...(action.style === "danger" ? { style: "destructive" } : {}),
  };
}

export interface RenderCardOptions {
  /** Shown above the card in the attention colour: why the click did not go through. */
  notice?: string;
}

export function renderAdaptiveCard(message: ChatMessage, options: RenderCardOptions = {}): AdaptiveCard {
  const body: AdaptiveElement[] = [];
  const actions: AdaptiveElement[] = [];
  let separatorNext = false;
  const push = (element: AdaptiveElement) => {
    body.push(separatorNext ? { ...element, separator: true, spacing: "medium" } : element);
    separatorNext = false;
  };
  if (options.notice) push(attentionText(options.notice));
  for (const block of message.blocks) {
    switch (block.type) {
      case "header":
        push({ type: "TextBlock", text: block.text, weight: "bolder", size: "large", wrap: true, style: "heading" });
        break;
      case "text":
        push({ type: "TextBlock", text: toCardMarkdown(block.text), wrap: true });
        break;
      case "fields":
        if (block.fields.length > 0) {
          push({ type: "FactSet", facts: block.fields.map((field) => ({ title: field.label, value: field.value })) });
        }
        break;
      case "columns":
        push({
          type: "ColumnSet",
          columns: block.columns.map((column) => ({
            type: "Column",
            width: "stretch",
            items: [
              { type: "TextBlock", text: column.title, weight: "bolder", wrap: true },
              { type: "FactSet", facts: column.fields.map((field) => ({ title: field.label, value: field.value })) },
            ],
          })),
        });
        break;
      case "context":
        push({ type: "TextBlock", text: toCardMarkdown(block.text), size: "small", isSubtle: true, wrap: true });
        break;
      case "actions":
        actions.push(...block.actions.map(actionFor));
        break;
      case "checklist":
        push({ type: "TextBlock", text: toCardMarkdown(block.title), wrap: true });
        for (const item of block.items) body.push(checklistRow(block.id, block.dataKey, item));
        break;
      case "image":
        push({ type: "Image", url: block.url, altText: block.alt, size: "stretch" });
        break;
      case "divider":
        separatorNext = true;
        break;
    }
  }
  if (body.length === 0) body.push({ type: "TextBlock", text: toCardMarkdown(message.text), wrap: true });
  const leadId = leadOf(message);
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    ...(actions.length > 0 ? { actions } : {}),
    fallbackText: message.text,
    msteams: { width: "Full" },
    // Teams asks the bot for the card as it stands whenever someone views it, so nobody acts on a stale card
    // (automatic in chats of up to 60 people; a refresh link beyond that).
    ...(leadId
      ? { refresh: { action: { type: "Action.Execute", title: "Refresh", verb: LEAD_REFRESH_VERB, data: { leadId } } } }
      : {}),
  };
}

/** One tick-box row: the item, and a "Done" button while it is open (Teams cards have no checkbox that posts back). */
function checklistRow(verb: string, dataKey: string, item: ChecklistItem): AdaptiveElement {
  const detail = item.detail ? ` (${item.detail})` : "";
  const label = item.checked ? `✅ ~~${item.label}~~${detail}` : `⬜ ${item.label}${detail}`;
  return {
    type: "ColumnSet",
    columns: [
      { type: "Column", width: "stretch", items: [{ type: "TextBlock", text: toCardMarkdown(label), wrap: true }] },
      ...(item.checked
        ? []
        : [
            {
              type: "Column",
              width: "auto",
              items: [
                {
                  type: "ActionSet",
                  actions: [{ type: "Action.Execute", title: "Done", verb, data: { [dataKey]: item.value } }],
                },
              ],
            },
          ]),
    ],
  };
}

const LEAD_ACTION_IDS = new Set<string>(Object.values(LEAD_ACTIONS));

/** The lead a card's buttons act on, if it is a lead card with buttons. */
function leadOf(message: ChatMessage): string | undefined {
  for (const block of message.blocks) {
    if (block.type !== "actions") continue;
    const action = block.actions.find((candidate) => LEAD_ACTION_IDS.has(candidate.id));
    if (action) return action.value;
  }
  return undefined;
}

function attentionText(text: string): AdaptiveElement {
  return { type: "TextBlock", text: toCardMarkdown(text), color: "attention", weight: "bolder", wrap: true };
}

export interface RejectFormOptions {
  leadId: string;
  /** What the person already chose, kept when the form comes back with an error. */
  values?: { reason?: string; comment?: string };
  /** Field errors from the handoff, keyed `reason` / `comment`. */
  errors?: Record<string, string>;
}

/**
 * The lead card with its buttons replaced by the reject form: a reason (required), a comment (required for
 * "Other", checked by the handoff), "Reject lead" and "Cancel".
 */
export function renderRejectForm(message: ChatMessage, options: RejectFormOptions): AdaptiveCard {
  // No refresh: viewing the form must not swap it back to the card while a reason is being chosen.
  const card = renderAdaptiveCard({ ...message, blocks: message.blocks.filter((block) => block.type !== "actions") });
  const errors = options.errors ?? {};
  const form: AdaptiveElement[] = [
    { type: "TextBlock", text: "Why are you rejecting this lead?", weight: "bolder", wrap: true, separator: true },
    {
      type: "Input.ChoiceSet",
      id: "reason",
      label: "Reason",
      isRequired: true,
      errorMessage: "Choose a reason.",
      style: "compact",
      placeholder: "Choose a reason",
      choices: REJECT_REASONS.map((reason) => ({ title: reason.label, value: reason.code })),
      ...(options.values?.reason ? { value: options.values.reason } : {}),
    },
    ...(errors.reason ? [attentionText(errors.reason)] : []),
    {
      type: "Input.Text",
      id: "comment",
      label: "Comment (required for “Other”)",
      isMultiline: true,
      maxLength: 1000,
      placeholder: "What should marketing know?",
      ...(options.values?.comment ? { value: options.values.comment } : {}),
    },
    ...(errors.comment ? [attentionText(errors.comment)] : []),
  ];
  return {
    ...card,
    body: [...card.body, ...form],
    actions: [
      {
        type: "Action.Execute",
        title: "Reject lead",
        verb: LEAD_ACTIONS.reject,
        data: { leadId: options.leadId },
        style: "destructive",
      },
      // Cancel must not trip the required-input check, or it could not leave an empty form.
      {
        type: "Action.Execute",
        title: "Cancel",
        verb: LEAD_REFRESH_VERB,
        data: { leadId: options.leadId },
        associatedInputs: "none",
      },
    ],
  };
}

/** Set in the deal form's submit data: tells its submission from the first click on the card's button. */
export const DEAL_FORM_SUBMITTED = "deal_outcome";

export interface DealOutcomeFormOptions {
  leadId: string;
  step: DealOutcomeStep;
  /** What the person typed, kept when the form comes back with an error. */
  values?: DealOutcomeInput;
  /** Field errors from the handoff, keyed `amount` / `currency` / `reason`. */
  errors?: Partial<Record<DealField, string>>;
}

/**
 * The lead card with its buttons replaced by the deal form: amount and currency for "Opportunity" and "Won", a
 * reason for "Lost"; submitted as `Action.Execute` with the same verb as the card's button.
 */
export function renderDealOutcomeForm(message: ChatMessage, options: DealOutcomeFormOptions): AdaptiveCard {
  // No refresh: viewing the form must not swap it back to the card while it is being filled in.
  const card = renderAdaptiveCard({ ...message, blocks: message.blocks.filter((block) => block.type !== "actions") });
  const form = DEAL_OUTCOME_FORM[options.step];
  const errors = options.errors ?? {};
  const values = options.values ?? {};
  const inputs: AdaptiveElement[] =
    form.asks === "amount"
      ? [
          {
            type: "Input.Text",
            id: DEAL_FIELDS.amount,
            label: "Amount",
            isRequired: true,
            errorMessage: "Enter the deal's amount.",
            placeholder: "32000",
            ...(values.amount ? { value: values.amount } : {}),
          },
          ...(errors.amount ? [attentionText(errors.amount)] : []),
          {
            type: "Input.Text",
            id: DEAL_FIELDS.currency,
            label: "Currency",
            maxLength: 3,
            value: values.currency ?? DEFAULT_DEAL_CURRENCY,
          },
          ...(errors.currency ? [attentionText(errors.currency)] : []),
        ]
      : [
          {
            type: "Input.Text",
            id: DEAL_FIELDS.reason,
            label: "Why was it lost?",
            isRequired: true,
            errorMessage: "Say why the deal was lost.",
            isMultiline: true,
            maxLength: 2000,
            placeholder: "Chose a competitor, no budget this year, …",
            ...(values.reason ? { value: values.reason } : {}),
          },
          ...(errors.reason ? [attentionText(errors.reason)] : []),
        ];
  return {
    ...card,
    body: [
      ...card.body,
      { type: "TextBlock", text: form.title, weight: "bolder", wrap: true, separator: true },
      ...inputs,
    ],
    actions: [
      {
        type: "Action.Execute",
        title: form.submit,
        verb: LEAD_ACTIONS[options.step],
        data: { leadId: options.leadId, form: DEAL_FORM_SUBMITTED },
        ...(options.step === "lost" ? { style: "destructive" } : { style: "positive" }),
      },
      {
        type: "Action.Execute",
        title: "Cancel",
        verb: LEAD_REFRESH_VERB,
        data: { leadId: options.leadId },
        associatedInputs: "none",
      },
    ],
  };
}
