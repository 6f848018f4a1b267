/**
 * What the SLA sweep says: reminders while a clock runs, and on a breach the notes to the manager, the escalation
 * conversation and the owner, the withdrawn card's line, and the one summary a conversation gets for breaches found
 * after downtime. Platform-neutral ChatMessages; the adapters render them.
 */
import type { ChatBlock, ChatMessage } from "../chat-message.ts";
import { formatWhen, LEAD_ACTIONS } from "../lead-card.ts";
import type { SlaKind } from "./sla-clock.ts";

/** The lead and the clock, as every SLA message names them. */
export interface SlaLeadSubject {
  leadId: string;
  /** "Augusta King · Analytical Engines" */
  who: string;
  teamName: string;
  kind: SlaKind;
  dueAt: Date;
  /** Business minutes the policy allows. */
  allowedMinutes: number;
  /** Who held the lead when the clock ran: the owner (first touch), or the team and its suggested rep (accept). */
  holder: string;
  /** For the times shown: the team's time zone. */
  timeZone: string;
}

const WHAT: Record<SlaKind, string> = { accept: "accept", first_touch: "first touch" };

function message(text: string, blocks: ChatBlock[]): ChatMessage {
  return { text, blocks };
}

/** A reminder in the card's thread: the team still has to take the lead; the Accept button is the card's own. */
export function acceptReminder(subject: SlaLeadSubject, fraction: number): ChatMessage {
  const due = formatWhen(subject.dueAt, subject.timeZone);
  const used = Math.round(subject.allowedMinutes * fraction);
  const text = `⏰ ${subject.who} still needs an owner: ${used} of ${subject.allowedMinutes} business minutes gone, accept by ${due}.`;
  return message(text, [
    { type: "text", text },
    {
      type: "actions",
      actions: [{ id: LEAD_ACTIONS.accept, label: "Accept", value: subject.leadId, style: "primary" }],
    },
  ]);
}

/** A direct reminder to the owner: the first touch is still to be logged. */
export function firstTouchReminder(subject: SlaLeadSubject, fraction: number): ChatMessage {
  const due = formatWhen(subject.dueAt, subject.timeZone);
  const used = Math.round(subject.allowedMinutes * fraction);
  const text = `⏰ First touch for ${subject.who} is due by ${due} (${used} of ${subject.allowedMinutes} business minutes gone). Log it on the lead's card once you've reached out.`;
  return message(text, [{ type: "text", text }]);
}

/** What happened to the lead on an accept breach, for the notes. */
export type BreachOutcome =
  | { kind: "reoffered"; toTeam: string; toRep?: string | null }
  | { kind: "not_reoffered"; why: string }
  | { kind: "kept" };

function outcomeLine(outcome: BreachOutcome): string | undefined {
  switch (outcome.kind) {
    case "reoffered":
      return `Re-offered to ${outcome.toTeam}${outcome.toRep ? ` (suggested: ${outcome.toRep})` : ""}.`;
    case "not_reoffered":
      return `Not re-offered: ${outcome.why}.`;
    case "kept":
      return undefined;
  }
}

function breachLine(subject: SlaLeadSubject): string {
  return `SLA breached: ${WHAT[subject.kind]} of ${subject.who} was due ${formatWhen(subject.dueAt, subject.timeZone)}`;
}

/** The team manager's DM on a breach. */
export function managerBreachMessage(subject: SlaLeadSubject, outcome: BreachOutcome): ChatMessage {
  const lines = [`🚨 *${breachLine(subject)}*`, `Held by ${subject.holder} (${subject.teamName}).`];
  const after = outcomeLine(outcome);
  if (after) lines.push(after);
  const blocks: ChatBlock[] = [{ type: "text", text: lines.join("\n") }];
  blocks.push({ type: "context", text: `Lead id: ${subject.leadId}` });
  return message(lines.join(" ").replaceAll("*", ""), blocks);
}

/** The note in the policy's escalation conversation: the lead and who held it. */
export function escalationNote(subject: SlaLeadSubject, outcome: BreachOutcome): ChatMessage {
  const lines = [`🚨 *${breachLine(subject)}*`, `Held by ${subject.holder} (${subject.teamName}).`];
  const after = outcomeLine(outcome);
  if (after) lines.push(after);
  return message(lines.join(" ").replaceAll("*", ""), [
    { type: "text", text: lines.join("\n") },
    { type: "context", text: `Lead id: ${subject.leadId}` },
  ]);
}

/** The owner's DM when their first touch is late: the lead stays theirs. */
export function ownerFirstTouchBreach(subject: SlaLeadSubject): ChatMessage {
  const text = `🚨 The first touch for ${subject.who} was due ${formatWhen(subject.dueAt, subject.timeZone)} and is now late; your manager has been told. The lead is still yours: reach out and log it on the card.`;
  return message(text, [{ type: "text", text }]);
}

/** Why a withdrawn offer's card lost its buttons. */
export const NOT_ACCEPTED_IN_TIME = "Not accepted in time: re-offered";

/**
 * One message for the breaches a conversation would have been told about one by one while Baton was down.
 * `subjects` are in due order.
 */
export function catchUpSummary(subjects: SlaLeadSubject[]): ChatMessage {
  const count = subjects.length;
  const heading = `${count} ${count === 1 ? "lead" : "leads"} breached while Baton was down:`;
  const lines = subjects.map(
    (subject) =>
      `• ${subject.who}: ${WHAT[subject.kind]} was due ${formatWhen(subject.dueAt, subject.timeZone)}, held by ${subject.holder} (${subject.teamName})`,
  );
  return message(`${heading} ${lines.map((line) => line.slice(2)).join("; ")}`, [
    { type: "text", text: `*${heading}*\n${lines.join("\n")}` },
  ]);
}
