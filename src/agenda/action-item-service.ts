/**
 * Action items as every chat surface uses them (the `action` command, Slack's "Add to agenda" shortcut, the
 * agenda's checkboxes in Slack and `Action.Execute` in Teams): the repository (action-items.ts) plus what the
 * configuration knows (which agendas exist, their time zones, the reps' names), answering with the messages of
 * src/domain/agenda/action-item-messages.ts.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import {
  type ActionItemView,
  type AgendaScopeView,
  actionAddedReply,
  actionClosedReply,
  actionNotFoundReply,
  actionReopenedReply,
  type KnownPerson,
} from "../domain/agenda/action-item-messages.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import type { ActionItem, PrismaClient } from "../generated/prisma/client.ts";
import {
  type ActionItemChange,
  createActionItem,
  dropActionItem,
  JOINT_SCOPE,
  markActionItemDone,
  type NewActionItem,
  reopenActionItem,
} from "./action-items.ts";

export interface ActionItemServiceDeps {
  prisma: PrismaClient;
  batonConfig: () => BatonConfig;
  now?: () => Date;
}

/** The agendas an item can belong to: the joint one first, then each team's. */
export function agendaScopes(config: BatonConfig): AgendaScopeView[] {
  return [
    {
      id: JOINT_SCOPE,
      title: "the joint sales–marketing agenda",
      timeZone: config.agenda.timezone ?? config.timezone,
    },
    ...config.teams.map((team) => ({ id: team.id, title: `the ${team.name} agenda`, timeZone: team.timezone })),
  ];
}

/** The agenda `id` names (case-insensitive), or undefined; no id is the joint agenda. */
export function agendaScope(config: BatonConfig, id?: string): AgendaScopeView | undefined {
  const wanted = (id ?? JOINT_SCOPE).toLowerCase();
  return agendaScopes(config).find((scope) => scope.id === wanted);
}

/** The configuration's reps, by the chat ids an owner may be stored as. */
export function knownPeople(config: BatonConfig): KnownPerson[] {
  return config.teams.flatMap((team) => team.reps);
}

/** A stored item as the messages show it. */
export function viewOf(item: ActionItem): ActionItemView {
  return {
    id: item.id,
    text: item.text,
    owner: item.owner,
    dueAt: item.dueAt,
    status: item.status,
    doneAt: item.doneAt,
    doneBy: item.doneBy,
    sourceLink: item.sourceLink,
  };
}

export interface ClosedItem {
  change: ActionItemChange;
  /** What to tell the person who asked. */
  reply: ChatMessage;
}

export interface ActionItemService {
  scopes(): AgendaScopeView[];
  /** The agenda a conversation belongs to: the team whose channel it is, else the joint one. */
  scopeForConversation(conversation: string): AgendaScopeView;
  /** The people Baton knows by chat id, for naming owners. */
  people(): KnownPerson[];
  now(): Date;
  /** Stores a new open item; the reply names it, its owner (as `ownerLabel` when given) and its due date. */
  add(input: NewActionItem & { ownerLabel?: string }): Promise<{ item: ActionItem; reply: ChatMessage }>;
  markDone(id: string, by: string): Promise<ClosedItem>;
  drop(id: string, by: string): Promise<ClosedItem>;
  /** `onlyDone`: an unticked checkbox reopens a done item, never a dropped one. */
  reopen(id: string, options?: { onlyDone?: boolean }): Promise<ClosedItem>;
}

export function createActionItemService(deps: ActionItemServiceDeps): ActionItemService {
  const now = () => (deps.now ?? (() => new Date()))();
  /** The item's agenda (a team since removed from the configuration: the joint one, for its time zone). */
  const context = (item: ActionItem) => {
    const config = deps.batonConfig();
    return {
      scope: agendaScope(config, item.scope) ?? (agendaScope(config) as AgendaScopeView),
      people: knownPeople(config),
    };
  };
  const answer = (change: ActionItemChange, reference: string, asked: "done" | "dropped" | "open"): ClosedItem => {
    if (change.outcome === "not_found") return { change, reply: actionNotFoundReply(reference) };
    const { scope, people } = context(change.item);
    const view = viewOf(change.item);
    if (asked === "open") {
      return {
        change,
        reply:
          change.outcome === "changed"
            ? actionReopenedReply(view, scope, people)
            : actionClosedReply("unchanged", view, scope, people, "done"),
      };
    }
    return { change, reply: actionClosedReply(change.outcome, view, scope, people, asked) };
  };
  return {
    scopes: () => agendaScopes(deps.batonConfig()),
    scopeForConversation(conversation) {
      const config = deps.batonConfig();
      const team = config.teams.find((candidate) => candidate.channel === conversation);
      return agendaScope(config, team?.id) ?? (agendaScope(config) as AgendaScopeView);
    },
    people: () => knownPeople(deps.batonConfig()),
    now,
    async add(input) {
      const item = await createActionItem(deps.prisma, input);
      const { scope, people } = context(item);
      return { item, reply: actionAddedReply(viewOf(item), scope, people, input.ownerLabel) };
    },
    async markDone(id, by) {
      return answer(await markActionItemDone(deps.prisma, id, by, now()), id, "done");
    },
    async drop(id, by) {
      return answer(await dropActionItem(deps.prisma, id, by, now()), id, "dropped");
    },
    async reopen(id, options) {
      return answer(await reopenActionItem(deps.prisma, id, options?.onlyDone ? ["done"] : undefined), id, "open");
    },
  };
}
