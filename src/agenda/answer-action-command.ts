/**
 * The `action` verb (see src/domain/agenda/action-item-command.ts for its words): settles what the grammar could
 * not (which word names a team, who a mention is, what day `friday` is in the agenda's time zone) and answers.
 */
import type { BatonConfig, RepConfig } from "../config/baton-config.ts";
import type { ActionRequest, OwnerWord } from "../domain/agenda/action-item-command.ts";
import { resolveDueDate } from "../domain/agenda/action-item-due.ts";
import {
  type AgendaScopeView,
  actionListReply,
  actionNotFoundReply,
  actionUsageReply,
  describeOwner,
} from "../domain/agenda/action-item-messages.ts";
import { type ChatMessage, type ConversationId, type Platform, platformOf } from "../domain/chat-message.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { type ActionItemService, agendaScope, knownPeople, viewOf } from "./action-item-service.ts";
import { isActionItemId, listOpenActionItems } from "./action-items.ts";

export interface ActionCommandDeps {
  prisma: PrismaClient;
  config: BatonConfig;
  actionItems: ActionItemService;
}

/** The chat id a rep is best stored under for someone on `platform`: theirs there, else any, else their name. */
function ownerIdOf(rep: RepConfig, platform: Platform): string {
  if (platform === "slack" && rep.slackUserId) return `slack:${rep.slackUserId}`;
  if (platform === "teams" && rep.teamsUserId) return `teams:${rep.teamsUserId}`;
  if (rep.slackUserId) return `slack:${rep.slackUserId}`;
  if (rep.teamsUserId) return `teams:${rep.teamsUserId}`;
  return rep.name;
}

function repNamed(config: BatonConfig, name: string): RepConfig | undefined {
  const wanted = name.toLowerCase();
  const reps = config.teams.flatMap((team) => team.reps);
  return (
    reps.find((rep) => rep.id === wanted) ??
    reps.find((rep) => rep.name.toLowerCase() === wanted) ??
    // `@ada` for Ada Lovelace, when only one rep has that first name.
    (() => {
      const byFirstName = reps.filter((rep) => rep.name.toLowerCase().split(/\s+/)[0] === wanted);
      return byFirstName.length === 1 ? byFirstName[0] : undefined;
    })()
  );
}

/** A stored owner (and the name to confirm it with) for what the person typed. */
function ownerOf(config: BatonConfig, word: OwnerWord, platform: Platform): { owner: string; label?: string } {
  if (word.kind === "user") {
    const known = describeOwner(word.user, knownPeople(config));
    return { owner: word.user, label: known.startsWith("Slack user ") && word.label ? word.label : known };
  }
  const name = word.kind === "mention" ? word.name : word.handle;
  const rep = repNamed(config, name);
  return rep ? { owner: ownerIdOf(rep, platform), label: rep.name } : { owner: name, label: name };
}

function unknownTeam(config: BatonConfig, word: string): ChatMessage {
  const teams = config.teams.map((team) => team.id).join(", ");
  return actionUsageReply(`There is no team "${word}". Teams: ${teams} (no team: the joint agenda).`);
}

export async function answerActionCommand(
  deps: ActionCommandDeps,
  request: ActionRequest,
  actor: ConversationId,
  now: Date,
): Promise<ChatMessage> {
  const { config } = deps;
  const people = knownPeople(config);
  if (request.kind === "list") {
    const scope = agendaScope(config, request.team);
    if (!scope) return unknownTeam(config, request.team ?? "");
    const items = await listOpenActionItems(deps.prisma, scope.id);
    return actionListReply(items.map(viewOf), scope, people);
  }
  if (request.kind !== "add") {
    const scope = agendaScope(config, request.team);
    if (!scope) return unknownTeam(config, request.team ?? "");
    const id = await itemIdOf(deps, request.item, scope);
    if (!id) return actionNotFoundReply(request.item, scope);
    const closed =
      request.kind === "done" ? await deps.actionItems.markDone(id, actor) : await deps.actionItems.drop(id, actor);
    return closed.reply;
  }

  // Adding: the leftover words are the team and, when no mention named one, the owner.
  let scope: AgendaScopeView | undefined;
  let ownerName: string | undefined;
  let words = request.words;
  let handle = request.owner?.kind === "handle" ? request.owner.handle : undefined;
  // Slack sends a typed mention as plain text (the manifest does not escape them): `@Ada Lovelace` is two words.
  const surname = handle === undefined ? undefined : words.find((word) => repNamed(config, `${handle} ${word}`));
  if (handle !== undefined && surname !== undefined) {
    handle = `${handle} ${surname}`;
    words = words.filter((word) => word !== surname);
  }
  for (const word of words) {
    const named = /\s/.test(word) ? undefined : agendaScope(config, word);
    if (named && !scope) scope = named;
    else if (!request.owner && ownerName === undefined) ownerName = word;
    else {
      const teams = config.teams.map((team) => team.id).join(", ");
      return actionUsageReply(
        `Baton cannot read "${word}": it is not a team (${teams}) nor a due date, and the owner is already given. Put a text or a name with spaces in quotes.`,
      );
    }
  }
  scope ??= agendaScope(config) as AgendaScopeView;
  if (!request.text) return actionUsageReply("Say what is to be done.");
  const ownerWord: OwnerWord | undefined =
    handle !== undefined
      ? { kind: "handle", handle }
      : (request.owner ?? (ownerName === undefined ? undefined : { kind: "handle", handle: ownerName }));
  if (!ownerWord) {
    return actionUsageReply("Every action item needs an owner: an @mention or a name, after the text.");
  }
  const owner = ownerOf(config, ownerWord, platformOf(actor));
  let dueAt: Date | null = null;
  if (request.due) {
    const due = resolveDueDate(request.due, { now, timeZone: scope.timeZone });
    if (!due.ok) return actionUsageReply(due.error);
    dueAt = due.dueAt;
  }
  const { reply } = await deps.actionItems.add({
    scope: scope.id,
    text: request.text,
    owner: owner.owner,
    ownerLabel: owner.label,
    createdBy: actor,
    dueAt,
  });
  return reply;
}

/** An item by its number in `action list` (of `scope`) or by its id. */
async function itemIdOf(deps: ActionCommandDeps, reference: string, scope: AgendaScopeView) {
  if (/^\d+$/.test(reference)) {
    const open = await listOpenActionItems(deps.prisma, scope.id);
    return open[Number(reference) - 1]?.id;
  }
  return isActionItemId(reference) ? reference : undefined;
}
