/**
 * What Baton says about action items, the same on Slack, Teams and the console: the confirmation that names the
 * item, its owner and its due date; the numbered list; the answers to closing and reopening one.
 */
import type { ChatMessage } from "../chat-message.ts";
import { ACTION_USAGE_LINES } from "./action-item-command.ts";
import { formatDueDate } from "./action-item-due.ts";

/**
 * The action id of the agenda's checkboxes (Slack `checkboxes` element, options' values = action item ids) and
 * the verb of its Teams `Action.Execute` (`data: { actionItemId }`): ticking one marks the item done.
 */
export const AGENDA_ACTION_DONE = "agenda_action_done";

/** What a surface answers when Baton was built without action items (an adapter started on its own, in tests). */
export const ACTION_ITEMS_OFF = "Action items are not available in this Baton.";

/** An action item as a message shows it. */
export interface ActionItemView {
  id: string;
  text: string;
  /** Platform-namespaced user or free-text name, as stored. */
  owner: string | null;
  dueAt: Date | null;
  status: "open" | "done" | "dropped";
  doneAt: Date | null;
  doneBy: string | null;
  sourceLink: string | null;
}

/** A person Baton may know by a chat id: the configuration's reps. */
export interface KnownPerson {
  name: string;
  slackUserId?: string;
  teamsUserId?: string;
}

/** Which agenda an item belongs to, as people call it, and the time zone its due dates are read in. */
export interface AgendaScopeView {
  /** "joint" or a team id. */
  id: string;
  /** "the joint sales–marketing agenda", "the EMEA Sales agenda". */
  title: string;
  timeZone: string;
}

/**
 * A stored owner as people read it: a rep's name for a chat id Baton knows, the name as written for free text,
 * and for a chat user Baton has no name for, the platform's own id (Baton reads no user profiles).
 */
export function describeOwner(owner: string | null, people: readonly KnownPerson[]): string {
  if (!owner) return "no owner";
  const slack = /^slack:(.+)$/.exec(owner);
  if (slack) return people.find((person) => person.slackUserId === slack[1])?.name ?? `Slack user ${slack[1]}`;
  const teams = /^teams:(.+)$/.exec(owner);
  if (teams) return people.find((person) => person.teamsUserId === teams[1])?.name ?? `Teams user ${teams[1]}`;
  // Whoever typed at the local-mode prompt or in the playground.
  if (owner === "console:operator") return "the local operator";
  return owner.replace(/^console:/, "");
}

const say = (...paragraphs: string[]): ChatMessage => ({
  text: paragraphs.join("\n\n").replaceAll("*", "").replaceAll("`", ""),
  blocks: paragraphs.map((text) => ({ type: "text" as const, text })),
});

function line(item: ActionItemView, scope: AgendaScopeView, people: readonly KnownPerson[]): string {
  const due = item.dueAt ? `, due ${formatDueDate(item.dueAt, scope.timeZone)}` : "";
  return `“${item.text}” (${describeOwner(item.owner, people)}${due})`;
}

export function actionAddedReply(
  item: ActionItemView,
  scope: AgendaScopeView,
  people: readonly KnownPerson[],
  ownerLabel?: string,
): ChatMessage {
  const owner = ownerLabel ?? describeOwner(item.owner, people);
  const due = item.dueAt ? `due ${formatDueDate(item.dueAt, scope.timeZone)}` : "no due date";
  return say(
    `Added to ${scope.title}: *${item.text}*`,
    `Owner: ${owner} · ${due}. It stays on every agenda until it is ticked off (or \`action done\`).`,
  );
}

export function actionListReply(
  items: readonly ActionItemView[],
  scope: AgendaScopeView,
  people: readonly KnownPerson[],
): ChatMessage {
  if (items.length === 0) {
    return say(`No open action items on ${scope.title}.`, `Add one with \`${'action "text" @owner [due]'}\`.`);
  }
  const lines = items.map((item, index) => `${index + 1}. ${line(item, scope, people)}`);
  const team = scope.id === "joint" ? "" : ` ${scope.id}`;
  return say(
    `*Open action items on ${scope.title}* (${items.length})`,
    lines.join("\n"),
    `Close one with \`action done <n>${team}\`.`,
  );
}

/** The answer to `action done` / `action drop` / a tick, by what happened to the item. */
export function actionClosedReply(
  change: "changed" | "unchanged",
  item: ActionItemView,
  scope: AgendaScopeView,
  people: readonly KnownPerson[],
  asked: "done" | "dropped",
): ChatMessage {
  if (change === "changed") {
    return say(
      asked === "done"
        ? `Done: ${line(item, scope, people)}. The next agenda shows it ticked off.`
        : `Dropped: ${line(item, scope, people)}. It no longer carries over to the next agenda.`,
    );
  }
  if (item.status === "open") return say(`${line(item, scope, people)} is still open.`);
  const by = item.doneBy ? ` by ${describeOwner(item.doneBy, people)}` : "";
  const when = item.doneAt ? ` on ${formatDueDate(item.doneAt, scope.timeZone)}` : "";
  return say(`${line(item, scope, people)} was already ${item.status === "done" ? "done" : "dropped"}${by}${when}.`);
}

export function actionReopenedReply(
  item: ActionItemView,
  scope: AgendaScopeView,
  people: readonly KnownPerson[],
): ChatMessage {
  return say(`Reopened: ${line(item, scope, people)}. It carries over to the next agenda again.`);
}

export function actionNotFoundReply(reference: string, scope?: AgendaScopeView): ChatMessage {
  const where = scope ? ` on ${scope.title}` : "";
  return say(
    /^\d+$/.test(reference)
      ? `There is no open action item number ${reference}${where}: see \`action list${scope && scope.id !== "joint" ? ` ${scope.id}` : ""}\`.`
      : "Baton has no such action item: it may have been erased. See `action list`.",
  );
}

/** A problem with the words typed, with the verb's usage, as the grammar answers one. */
export function actionUsageReply(problem: string): ChatMessage {
  return say(problem, ACTION_USAGE_LINES);
}
