/**
 * A deal outcome entered on a lead's card, for teams without a CRM hook: "Opportunity" and "Won" ask for the
 * amount and currency, "Lost" for a reason. What a person typed is read here, once, for Slack's modal, the Teams
 * form and the console alike; the event it becomes is the one a CRM would send (`funnel.ts`), so the KPIs cannot
 * tell them apart.
 */
import { unstorableTextReason } from "../storable-input.ts";
import type { DealOutcomeStep } from "./lifecycle.ts";

/** The deal's amount column is Decimal(14, 2), as for the CRM webhook. */
const MAX_AMOUNT = 999_999_999_999.99;
const MAX_REASON = 2000;
export const DEFAULT_DEAL_CURRENCY = "USD";

/** What the form or the command line gave, as typed. */
export interface DealOutcomeInput {
  amount?: string;
  currency?: string;
  reason?: string;
}

/** A readable outcome, in the shape of a CRM event's fields. */
export interface DealOutcome {
  type: DealOutcomeStep;
  amount?: number;
  currency?: string;
  reason?: string;
}

/** Field names shared by the Slack modal's blocks, the Teams form's inputs and the errors below. */
export const DEAL_FIELDS = { amount: "amount", currency: "currency", reason: "reason" } as const;
export type DealField = keyof typeof DEAL_FIELDS;

export type ReadDealOutcome =
  | { ok: true; outcome: DealOutcome }
  | { ok: false; errors: Partial<Record<DealField, string>> };

/** The form's title and submit label per outcome. */
export const DEAL_OUTCOME_FORM: Record<DealOutcomeStep, { title: string; submit: string; asks: "amount" | "reason" }> =
  {
    opportunity: { title: "Open an opportunity", submit: "Open opportunity", asks: "amount" },
    won: { title: "Mark the deal won", submit: "Mark won", asks: "amount" },
    lost: { title: "Mark the deal lost", submit: "Mark lost", asks: "reason" },
  };

/** `32000`, `32,000`, `32 000.50`: digits with optional thousands separators and up to two decimals. */
export function parseAmount(text: string): number | undefined {
  const compact = text.trim().replace(/[\s,_]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(compact)) return undefined;
  return Number(compact);
}

export function readDealOutcome(type: DealOutcomeStep, input: DealOutcomeInput): ReadDealOutcome {
  const errors: Partial<Record<DealField, string>> = {};
  if (DEAL_OUTCOME_FORM[type].asks === "amount") {
    const typed = input.amount?.trim() ?? "";
    const amount = typed ? parseAmount(typed) : undefined;
    if (!typed) errors.amount = "Enter the deal's amount.";
    else if (amount === undefined) errors.amount = "Enter the amount as a number, e.g. 32000 or 32,000.50.";
    else if (amount <= 0) errors.amount = "The amount must be more than 0.";
    else if (amount > MAX_AMOUNT) errors.amount = "The amount must be less than 1,000,000,000,000.";
    const currency = (input.currency?.trim() || DEFAULT_DEAL_CURRENCY).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) errors.currency = "Use a three-letter currency code, e.g. USD or EUR.";
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    return { ok: true, outcome: { type, amount, currency } };
  }
  const reason = input.reason?.trim() ?? "";
  if (!reason) errors.reason = "Say why the deal was lost: marketing and the weekly meeting read it.";
  else if (reason.length > MAX_REASON) errors.reason = `Keep the reason under ${MAX_REASON} characters.`;
  else if (unstorableTextReason(reason)) {
    errors.reason = "This contains characters Baton cannot save (a NUL character or broken Unicode). Retype it.";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, outcome: { type, reason } };
}

/** `32,000 USD`: how the card shows a deal's amount. */
export function formatDealAmount(amount: number | string, currency: string): string {
  const value = Number(amount);
  const digits = Number.isInteger(value) ? 0 : 2;
  return `${value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: 2 })} ${currency}`;
}
