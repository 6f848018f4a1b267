/**
 * The lead card: what a sales team sees when a lead is offered, and how it changes as the lead is accepted,
 * rejected and worked. Platform-neutral; the adapters render it.
 */
import type { ChatAction, ChatBlock, ChatMessage } from "./chat-message.ts";
import { formatDealAmount } from "./leads/deal-outcome.ts";
import { type CardStep, cardStepsFor, type LeadStatus } from "./leads/lifecycle.ts";

/** Action ids shared by Slack (`action_id`) and Teams (`Action.Execute` verb). */
export const LEAD_ACTIONS = {
  accept: "lead_accept",
  reject: "lead_reject",
  firstTouch: "lead_first_touch",
  markSql: "lead_mark_sql",
  disqualify: "lead_disqualify",
  opportunity: "lead_opportunity",
  won: "lead_won",
  lost: "lead_lost",
} as const;
export type LeadActionId = (typeof LEAD_ACTIONS)[keyof typeof LEAD_ACTIONS];

export const REJECT_REASONS = [
  { code: "not_a_fit", label: "Not a fit" },
  { code: "wrong_territory", label: "Wrong territory" },
  { code: "duplicate", label: "Duplicate" },
  { code: "existing_customer", label: "Existing customer" },
  { code: "bad_contact_data", label: "Bad contact data" },
  { code: "no_budget_or_timing", label: "No budget / timing" },
  { code: "other", label: "Other" },
] as const;
export type RejectReasonCode = (typeof REJECT_REASONS)[number]["code"];

export function rejectReasonLabel(code: string): string {
  return REJECT_REASONS.find((reason) => reason.code === code)?.label ?? code;
}

export type LeadCardStatus = LeadStatus;

export interface LeadCardView {
  leadId: string;
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  title?: string | null;
  phone?: string | null;
  country?: string | null;
  region?: string | null;
  employees?: number | null;
  industry?: string | null;
  score?: number | null;
  source: string;
  campaign?: string | null;
  channel?: string | null;
  notes?: string | null;
  teamName: string;
  /** Why it was routed here, e.g. "rule `emea-mid-market`: region=EMEA, employees 250". */
  routingReason: string;
  /** Suggested by round-robin; anyone in the team may take it. */
  suggestedRepName?: string | null;
  status: LeadCardStatus;
  owner?: { name: string; at: Date } | null;
  rejection?: { byName: string; at: Date; reason: string; comment?: string | null } | null;
  firstTouchAt?: Date | null;
  sqlAt?: Date | null;
  disqualified?: { byName: string; at: Date } | null;
  /** The lead's latest deal (from the CRM or the card): its amount shows beside the stage. */
  deal?: { amount: string; currency: string } | null;
  /** Why the deal was lost, when someone said. */
  lostReason?: string | null;
  /** The offer was taken back (e.g. nobody accepted it in time): why, shown instead of the buttons. */
  withdrawn?: { reason: string } | null;
  /** Time zone for times shown on the card (the team's). */
  timeZone: string;
}

export function personName(view: Pick<LeadCardView, "firstName" | "lastName" | "email">): string {
  const name = [view.firstName, view.lastName].filter(Boolean).join(" ").trim();
  return name || view.email;
}

/** "Ada Lovelace · Analytical Engines", or the name alone: how a lead is named on one line. */
export function personAndCompany(view: Pick<LeadCardView, "firstName" | "lastName" | "email" | "company">): string {
  const name = personName(view);
  return view.company ? `${name} · ${view.company}` : name;
}

export function formatWhen(at: Date, timeZone: string): string {
  return whenFormatterFor(timeZone).format(at);
}

/** One formatter per time zone: making an Intl.DateTimeFormat costs far more than formatting with one. */
const whenFormatters = new Map<string, Intl.DateTimeFormat>();
function whenFormatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = whenFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    });
    whenFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function sizeLabel(employees: number | null | undefined): string | undefined {
  if (employees === null || employees === undefined) return undefined;
  return `${employees.toLocaleString("en-US")} employees`;
}

export function renderLeadCard(view: LeadCardView): ChatMessage {
  const who = personAndCompany(view);
  const fields = [
    { label: "Title", value: view.title },
    { label: "Email", value: view.email },
    { label: "Phone", value: view.phone },
    { label: "Country", value: [view.country, view.region].filter(Boolean).join(" · ") || undefined },
    { label: "Size", value: sizeLabel(view.employees) },
    { label: "Industry", value: view.industry },
    { label: "Score", value: view.score === null || view.score === undefined ? undefined : String(view.score) },
    { label: "Source", value: [view.source, view.campaign, view.channel].filter(Boolean).join(" · ") },
  ].filter((field): field is { label: string; value: string } => Boolean(field.value));

  const open = (view.status === "offered" || view.status === "new") && !view.withdrawn;
  const blocks: ChatBlock[] = [
    { type: "header", text: `${open ? "New lead" : "Lead"}: ${who}` },
    { type: "fields", fields },
  ];
  if (view.notes) blocks.push({ type: "text", text: `_“${view.notes}”_` });
  blocks.push({ type: "context", text: `Routed to ${view.teamName}: ${view.routingReason}` });

  const status = statusLine(view);
  if (status) blocks.push({ type: "text", text: status });
  const actions = actionsFor(view);
  if (actions.length > 0) blocks.push({ type: "actions", actions });

  const text =
    status && !open
      ? `${who}: ${status.replaceAll("*", "")}`
      : `New lead for ${view.teamName}: ${who}${view.title ? `, ${view.title}` : ""}. Accept or reject it.`;
  return { text, blocks };
}

function statusLine(view: LeadCardView): string | undefined {
  const when = (at: Date) => formatWhen(at, view.timeZone);
  const lines: string[] = [];
  if (view.withdrawn) {
    lines.push(`⏱ *${view.withdrawn.reason}*`);
  } else if (view.rejection) {
    const comment = view.rejection.comment ? `: “${view.rejection.comment}”` : "";
    lines.push(
      `❌ *Rejected by ${view.rejection.byName}* (${when(view.rejection.at)}): ${rejectReasonLabel(view.rejection.reason)}${comment}`,
    );
  } else if (view.owner) {
    lines.push(`✅ *Accepted by ${view.owner.name}* (${when(view.owner.at)})`);
    if (view.firstTouchAt) lines.push(`📞 First touch logged ${when(view.firstTouchAt)}`);
    if (view.sqlAt) lines.push(`🎯 Marked SQL ${when(view.sqlAt)}`);
    const amount = view.deal ? formatDealAmount(view.deal.amount, view.deal.currency) : undefined;
    if (view.status === "opportunity") lines.push(`💼 Opportunity open${amount ? `: ${amount}` : ""}`);
    if (view.status === "won") lines.push(`🏆 *Won*${amount ? `: ${amount}` : ""}`);
    if (view.status === "lost") lines.push(`*Lost*${view.lostReason ? `: “${view.lostReason}”` : ""}`);
    if (view.disqualified) lines.push(`🚫 Disqualified by ${view.disqualified.byName} (${when(view.disqualified.at)})`);
  } else if (view.suggestedRepName) {
    lines.push(`Suggested owner: ${view.suggestedRepName} (anyone in the team can take it)`);
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}

const CARD_BUTTONS: Record<CardStep, { id: LeadActionId; label: string; style?: ChatAction["style"] }> = {
  accept: { id: LEAD_ACTIONS.accept, label: "Accept", style: "primary" },
  reject: { id: LEAD_ACTIONS.reject, label: "Reject", style: "danger" },
  first_touch: { id: LEAD_ACTIONS.firstTouch, label: "Log first touch", style: "primary" },
  sql: { id: LEAD_ACTIONS.markSql, label: "Mark SQL" },
  disqualify: { id: LEAD_ACTIONS.disqualify, label: "Disqualify", style: "danger" },
  opportunity: { id: LEAD_ACTIONS.opportunity, label: "Opportunity", style: "primary" },
  won: { id: LEAD_ACTIONS.won, label: "Won", style: "primary" },
  lost: { id: LEAD_ACTIONS.lost, label: "Lost", style: "danger" },
};

/** The lead action id a button carries → the lifecycle step it asks for. */
export function cardStepOfAction(actionId: string): CardStep | undefined {
  return (Object.keys(CARD_BUTTONS) as CardStep[]).find((step) => CARD_BUTTONS[step].id === actionId);
}

/** Exactly the steps the lifecycle lets a rep take from the card's status. */
function actionsFor(view: LeadCardView): ChatAction[] {
  if (view.withdrawn) return [];
  return cardStepsFor(view.status).map((step) => {
    const { id, label, style } = CARD_BUTTONS[step];
    return { id, label, value: view.leadId, ...(style ? { style } : {}) };
  });
}
