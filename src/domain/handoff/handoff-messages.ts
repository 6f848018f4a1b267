/**
 * The words Baton uses around a handoff: replies to the person who clicked, the DM a new owner gets, the feedback
 * marketing reads, and the `lead` lookup. Platform-neutral ChatMessages, rendered by the adapters.
 */
import type { ChatBlock, ChatMessage } from "../chat-message.ts";
import { formatWhen, type LeadCardView, personAndCompany, personName, rejectReasonLabel } from "../lead-card.ts";

const plain = (text: string): ChatMessage => ({ text, blocks: [{ type: "text", text }] });

export function leadNotFoundReply(query: string): ChatMessage {
  return plain(`No lead matches “${query}”. Try the lead's email address or its id from the card.`);
}

/**
 * For text Baton cannot store (a NUL character, broken Unicode: see storable-input.ts). Retrying cannot help, so
 * the person is told what to change rather than to try again.
 */
export const UNREADABLE_TEXT =
  "This contains characters Baton cannot save (a NUL character or broken Unicode, often from a copy-paste). Retype it and submit again.";

export function unreadableQueryReply(): ChatMessage {
  return plain(
    "That contains characters Baton cannot read (a NUL character or broken Unicode). Type the lead's email address or id.",
  );
}

export function alreadyDecidedReply(view: LeadCardView): ChatMessage {
  if (view.owner) return plain(`This lead was already accepted by ${view.owner.name}.`);
  if (view.rejection) {
    return plain(
      `This lead was already rejected by ${view.rejection.byName} (${rejectReasonLabel(view.rejection.reason)}).`,
    );
  }
  return plain("This lead is no longer open for a decision.");
}

export function notInTeamReply(teamName: string): ChatMessage {
  return plain(
    `Only members of ${teamName} can take or reject this lead. If you should be one, ask an admin to add you to Baton's configuration.`,
  );
}

export function notOwnerReply(ownerName: string | undefined): ChatMessage {
  return plain(
    ownerName
      ? `Only ${ownerName} or their team can update this lead.`
      : "This lead has no owner yet: accept it before logging next steps.",
  );
}

export function stepNotAllowedReply(step: string, status: string): ChatMessage {
  return plain(`You can't ${step} a lead that is ${status}.`);
}

/** The DM a rep gets when they take a lead: everything needed for the first call. */
export function acceptedDirectMessage(view: LeadCardView, firstTouchDueAt: Date | null): ChatMessage {
  const name = personName(view);
  const blocks: ChatBlock[] = [
    { type: "header", text: `You own ${personAndCompany(view)}` },
    {
      type: "fields",
      fields: [
        { label: "Email", value: view.email },
        ...(view.phone ? [{ label: "Phone", value: view.phone }] : []),
        ...(view.title ? [{ label: "Title", value: view.title }] : []),
        ...(view.country ? [{ label: "Country", value: view.country }] : []),
        { label: "Source", value: [view.source, view.campaign].filter(Boolean).join(" · ") },
      ],
    },
  ];
  if (view.notes) blocks.push({ type: "text", text: `_“${view.notes}”_` });
  if (firstTouchDueAt) {
    blocks.push({ type: "context", text: `First touch due by ${formatWhen(firstTouchDueAt, view.timeZone)}.` });
  }
  return {
    text: `You accepted ${name}${view.company ? ` (${view.company})` : ""}.${firstTouchDueAt ? ` First touch due by ${formatWhen(firstTouchDueAt, view.timeZone)}.` : ""}`,
    blocks,
  };
}

/** What marketing reads when sales turns a lead down: the reason is the point. */
export function rejectionFeedback(view: LeadCardView, reroutedToTeam: string | undefined): ChatMessage {
  const rejection = view.rejection;
  const name = personName(view);
  const reason = rejection ? rejectReasonLabel(rejection.reason) : "unknown reason";
  const by = rejection ? `${rejection.byName} (${view.teamName})` : view.teamName;
  const blocks: ChatBlock[] = [
    { type: "text", text: `*Lead rejected: ${reason}*\n${personAndCompany(view)} by ${by}` },
  ];
  if (rejection?.comment) blocks.push({ type: "text", text: `_“${rejection.comment}”_` });
  blocks.push({
    type: "fields",
    fields: [
      { label: "Source", value: view.source },
      ...(view.campaign ? [{ label: "Campaign", value: view.campaign }] : []),
      ...(view.channel ? [{ label: "Channel", value: view.channel }] : []),
      ...(view.score !== null && view.score !== undefined ? [{ label: "Score", value: String(view.score) }] : []),
    ],
  });
  if (reroutedToTeam) blocks.push({ type: "context", text: `Re-routed to ${reroutedToTeam}.` });
  return {
    text: `Lead rejected (${reason}): ${name}${view.company ? `, ${view.company}` : ""} by ${by}${rejection?.comment ? `: “${rejection.comment}”` : ""}`,
    blocks,
  };
}

export interface LeadDetails {
  view: LeadCardView;
  status: string;
  receivedAt: Date;
  clocks: { kind: string; status: string; dueAt: Date; metAt?: Date | null; breachedAt?: Date | null }[];
  history: { at: Date; actor: string; action: string }[];
  duplicates: number;
}

const CLOCK_LABEL: Record<string, string> = { accept: "Accept", first_touch: "First touch" };

/** The answer to `lead <email or id>`. */
export function leadDetailsMessage(details: LeadDetails): ChatMessage {
  const { view } = details;
  const when = (at: Date) => formatWhen(at, view.timeZone);
  const name = personName(view);
  const fields = [
    { label: "Status", value: details.status },
    { label: "Team", value: view.teamName },
    { label: "Owner", value: view.owner ? `${view.owner.name} (since ${when(view.owner.at)})` : "none yet" },
    { label: "Received", value: when(details.receivedAt) },
    { label: "Email", value: view.email },
    { label: "Source", value: [view.source, view.campaign].filter(Boolean).join(" · ") },
  ];
  const blocks: ChatBlock[] = [
    { type: "header", text: `${personAndCompany(view)}` },
    { type: "fields", fields },
  ];
  if (details.clocks.length > 0) {
    const lines = details.clocks.map((clock) => {
      const label = CLOCK_LABEL[clock.kind] ?? clock.kind;
      if (clock.status === "met" && clock.metAt) return `• ${label}: met ${when(clock.metAt)}`;
      if (clock.status === "breached") return `• ${label}: *breached* (was due ${when(clock.dueAt)})`;
      if (clock.status === "cancelled") return `• ${label}: stopped`;
      return `• ${label}: due ${when(clock.dueAt)}`;
    });
    blocks.push({ type: "text", text: `*SLA clocks*\n${lines.join("\n")}` });
  }
  if (details.history.length > 0) {
    const lines = details.history.map((entry) => `• ${when(entry.at)}: ${entry.action} by ${entry.actor}`);
    blocks.push({ type: "text", text: `*History*\n${lines.join("\n")}` });
  }
  if (details.duplicates > 0) {
    blocks.push({
      type: "context",
      text: `${details.duplicates} later MQL(s) for this person were linked to this lead.`,
    });
  }
  blocks.push({ type: "context", text: `Lead id: ${view.leadId}` });
  return {
    text: `${name}${view.company ? ` (${view.company})` : ""}: ${details.status}, team ${view.teamName}, owner ${view.owner?.name ?? "none yet"}`,
    blocks,
  };
}
