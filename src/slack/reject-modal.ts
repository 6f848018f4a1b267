/**
 * The "Why reject this lead?" modal: opened by the card's Reject button, submitted back as a `view_submission`
 * with `callback_id: "lead_reject_reason"`. Block ids are the handoff's field names (`reason`, `comment`), so
 * its validation errors map straight onto the modal's fields.
 */
import type { webApi } from "@slack/bolt";
import { REJECT_REASONS, type RejectReasonCode } from "../domain/lead-card.ts";
import { escapeMrkdwn } from "./render-blocks.ts";

export const REJECT_MODAL_CALLBACK_ID = "lead_reject_reason";
export const REJECT_FIELDS = { reason: "reason", comment: "comment" } as const;

/** Carried through the modal in `private_metadata`: which lead, and where its card and the clicker were. */
export interface RejectModalContext {
  leadId: string;
  /** `slack:C…` of the card, to answer the rejecter ephemerally there. */
  conversation?: string;
  messageTs?: string;
}

export function buildRejectModal(context: RejectModalContext, leadTitle: string | undefined): webApi.View {
  return {
    type: "modal",
    callback_id: REJECT_MODAL_CALLBACK_ID,
    private_metadata: JSON.stringify(context),
    title: { type: "plain_text", text: "Reject lead" },
    submit: { type: "plain_text", text: "Reject" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `${leadTitle ? `*${escapeMrkdwn(leadTitle)}*\n` : ""}Marketing reads your reason: it is how lead quality gets better.`,
        },
      },
      {
        type: "input",
        block_id: REJECT_FIELDS.reason,
        label: { type: "plain_text", text: "Reason" },
        element: {
          type: "static_select",
          action_id: REJECT_FIELDS.reason,
          placeholder: { type: "plain_text", text: "Choose a reason" },
          options: REJECT_REASONS.map((reason) => ({
            text: { type: "plain_text", text: reason.label },
            value: reason.code,
          })),
        },
      },
      {
        type: "input",
        block_id: REJECT_FIELDS.comment,
        optional: true,
        label: { type: "plain_text", text: "Comment" },
        hint: { type: "plain_text", text: "Required for “Other”. Marketing sees it." },
        element: {
          type: "plain_text_input",
          action_id: REJECT_FIELDS.comment,
          multiline: true,
          max_length: 2000,
          placeholder: { type: "plain_text", text: "What should marketing know?" },
        },
      },
    ],
  };
}

/** The modal's `private_metadata`, or undefined when it is not one Baton wrote. */
export function parseRejectModalContext(privateMetadata: string | undefined): RejectModalContext | undefined {
  try {
    const parsed = JSON.parse(privateMetadata ?? "") as Partial<RejectModalContext>;
    return typeof parsed.leadId === "string" && parsed.leadId ? (parsed as RejectModalContext) : undefined;
  } catch {
    return undefined;
  }
}

type ViewStateValues = Record<
  string,
  Record<string, { selected_option?: { value?: string } | null; value?: string | null }>
>;

/** Reads the reason and comment a person submitted; the handoff validates them. */
export function readRejectSubmission(values: ViewStateValues): { reason: RejectReasonCode; comment?: string } {
  const reason = values[REJECT_FIELDS.reason]?.[REJECT_FIELDS.reason]?.selected_option?.value ?? "";
  const comment = values[REJECT_FIELDS.comment]?.[REJECT_FIELDS.comment]?.value ?? undefined;
  return { reason: reason as RejectReasonCode, comment: comment ?? undefined };
}
