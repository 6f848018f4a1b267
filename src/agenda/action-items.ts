/**
 * Action items of the weekly agendas: created from chat (`action …`, Slack's "Add to agenda" shortcut), listed,
 * and closed from the agenda's checkboxes or by command. An open item carries over to every next agenda of its
 * scope until it is closed. Closing is a conditional update (only an open item can be closed, only a closed one
 * reopened), so two people ticking the same box at once, or Slack redelivering a click, change it once.
 */
import { JOINT_SCOPE } from "../domain/agenda/agenda-facts.ts";
import type { ActionItem, PrismaClient } from "../generated/prisma/client.ts";

export { JOINT_SCOPE };

export interface NewActionItem {
  /** {@link JOINT_SCOPE} or a configured team id. */
  scope: string;
  text: string;
  /** Platform-namespaced user (`slack:U…`, `teams:<aad id>`) or a free-text name. */
  owner: string | null;
  /** Platform-namespaced user who added it. */
  createdBy: string | null;
  sourceLink?: string | null;
  /** The end of the due day in the agenda's time zone (see src/domain/agenda/action-item-due.ts). */
  dueAt?: Date | null;
  agendaId?: string | null;
  /**
   * Defaults to the database's clock, which orders `action list` by when items were really added; seeded
   * histories (tests, imports) may set it.
   */
  createdAt?: Date;
}

export type ActionItemChange =
  | { outcome: "changed"; item: ActionItem }
  /** Already as asked (done twice, reopened while open), or closed the other way (a dropped item ticked done). */
  | { outcome: "unchanged"; item: ActionItem }
  | { outcome: "not_found" };

type Db = Pick<PrismaClient, "actionItem">;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be an action item's id (a UUID); anything else is unknown without asking the database. */
export const isActionItemId = (id: string) => UUID.test(id);

export function createActionItem(db: Db, input: NewActionItem): Promise<ActionItem> {
  return db.actionItem.create({
    data: {
      scope: input.scope,
      teamId: input.scope === JOINT_SCOPE ? null : input.scope,
      text: input.text,
      owner: input.owner,
      createdBy: input.createdBy,
      sourceLink: input.sourceLink ?? null,
      dueAt: input.dueAt ?? null,
      agendaId: input.agendaId ?? null,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    },
  });
}

/** The open items of a scope, oldest first: the order `action list` numbers them in. */
export function listOpenActionItems(db: Db, scope: string): Promise<ActionItem[]> {
  return db.actionItem.findMany({ where: { scope, status: "open" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export async function findActionItem(db: Db, id: string): Promise<ActionItem | null> {
  return isActionItemId(id) ? db.actionItem.findUnique({ where: { id } }) : null;
}

async function changeIfStatus(
  db: Db,
  id: string,
  from: ActionItem["status"][],
  data: Parameters<Db["actionItem"]["updateMany"]>[0]["data"],
): Promise<ActionItemChange> {
  if (!isActionItemId(id)) return { outcome: "not_found" };
  const { count } = await db.actionItem.updateMany({ where: { id, status: { in: from } }, data });
  const item = await db.actionItem.findUnique({ where: { id } });
  if (!item) return { outcome: "not_found" };
  return count === 1 ? { outcome: "changed", item } : { outcome: "unchanged", item };
}

/** Open → done, recording who and when. Done or dropped already: unchanged. */
export function markActionItemDone(db: Db, id: string, by: string, now: Date): Promise<ActionItemChange> {
  return changeIfStatus(db, id, ["open"], { status: "done", doneAt: now, doneBy: by });
}

/** Open → dropped (no longer to be done), recording who and when in the same columns as done. */
export function dropActionItem(db: Db, id: string, by: string, now: Date): Promise<ActionItemChange> {
  return changeIfStatus(db, id, ["open"], { status: "dropped", doneAt: now, doneBy: by });
}

/**
 * Back to open, who closed it forgotten. `from` says what may be reopened: an unticked checkbox reopens only a
 * done item (a dropped one is not on the agenda to untick).
 */
export function reopenActionItem(
  db: Db,
  id: string,
  from: ActionItem["status"][] = ["done", "dropped"],
): Promise<ActionItemChange> {
  return changeIfStatus(db, id, from, { status: "open", doneAt: null, doneBy: null });
}
