/**
 * The deal outcome modal: opened by the card's "Opportunity" and "Won" buttons (amount and currency) and "Lost" (a
 * reason), submitted back as a `view_submission` with `callback_id: "lead_deal_outcome"`. Block ids are the
 * handoff's field names (`amount`, `currency`, `reason`), so its validation errors map straight onto the fields.
 */
import type { webApi } from "@slack/bolt";
import {
  DEAL_FIELDS,
  DEAL_OUTCOME_FORM,
  DEFAULT_DEAL_CURRENCY,
  type DealOutcomeInput,
} from "../domain/leads/deal-outcome.ts";
import { type DealOutcomeStep, isDealOutcomeStep } from "../domain/leads/lifecycle.ts";
import { escapeMrkdwn } from "./render-blocks.ts";

export const DEAL_OUTCOME_MODAL_CALLBACK_ID = "lead_deal_outcome";

/** Carried through the modal in `private_metadata`: which lead, which step, and where the card was. */
export interface DealOutcomeModalContext {
  leadId: string;
  step: DealOutcomeStep;
  /** `slack:C…` of the card, to answer the person ephemerally there. */
  conversation?: string;
}

export function buildDealOutcomeModal(context: DealOutcomeModalContext, leadTitle: string | undefined): webApi.View {
  const form = DEAL_OUTCOME_FORM[context.step];
  const fields: webApi.KnownBlock[] =
    form.asks === "amount"
      ? [
          {
            type: "input",
            block_id: DEAL_FIELDS.amount,
            label: { type: "plain_text", text: "Amount" },
            hint: { type: "plain_text", text: "The deal's value, e.g. 32000 or 32,000.50." },
            element: {
              type: "plain_text_input",
              action_id: DEAL_FIELDS.amount,
              placeholder: { type: "plain_text", text: "32000" },
            },
          },
          {
            type: "input",
            block_id: DEAL_FIELDS.currency,
            label: { type: "plain_text", text: "Currency" },
            element: {
              type: "plain_text_input",
              action_id: DEAL_FIELDS.currency,
              initial_value: DEFAULT_DEAL_CURRENCY,
              max_length: 3,
            },
          },
        ]
      : [
          {
            type: "input",
            block_id: DEAL_FIELDS.reason,
            label: { type: "plain_text", text: "Why was it lost?" },
            element: {
              type: "plain_text_input",
              action_id: DEAL_FIELDS.reason,
              multiline: true,
              max_length: 2000,
              placeholder: { type: "plain_text", text: "Chose a competitor, no budget this year, …" },
            },
          },
        ];
  return {
    type: "modal",
    callback_id: DEAL_OUTCOME_MODAL_CALLBACK_ID,
    private_metadata: JSON.stringify(context),
    title: { type: "plain_text", text: form.title.slice(0, 24) },
    submit: { type: "plain_text", text: form.submit },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      ...(leadTitle
        ? [{ type: "section", text: { type: "mrkdwn", text: `*${escapeMrkdwn(leadTitle)}*` } } as const]
        : []),
      ...fields,
    ],
  };
}

/** The modal's `private_metadata`, or undefined when it is not one Baton wrote. */
export function parseDealOutcomeModalContext(privateMetadata: string | undefined): DealOutcomeModalContext | undefined {
  try {
    const parsed = JSON.parse(privateMetadata ?? "") as Partial<DealOutcomeModalContext>;
    if (typeof parsed.leadId !== "string" || !parsed.leadId) return undefined;
    if (typeof parsed.step !== "string" || !isDealOutcomeStep(parsed.step)) return undefined;
    return parsed as DealOutcomeModalContext;
  } catch {
    return undefined;
  }
}

type ViewStateValues = Record<string, Record<string, { value?: string | null }>>;

/** What the person typed; the handoff reads and checks it. */
export function readDealOutcomeSubmission(values: ViewStateValues): DealOutcomeInput {
  const field = (name: string) => values[name]?.[name]?.value ?? undefined;
  return {
    amount: field(DEAL_FIELDS.amount),
    currency: field(DEAL_FIELDS.currency),
    reason: field(DEAL_FIELDS.reason),
  };
}
