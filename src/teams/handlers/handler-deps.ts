/** What every Teams handler is given: the handoff (all business decisions), the database for references, a logger. */
import type { ActionItemService } from "../../agenda/action-item-service.ts";
import type { AnswerCommand } from "../../commands/answer-command.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Actor, HandoffService } from "../../handoff/handoff-types.ts";
import type { Logger } from "../../logger.ts";

export interface TeamsHandlerDeps {
  handoff: HandoffService;
  /** Messages to the bot: the command grammar every platform shares. */
  answerCommand: AnswerCommand;
  prisma: PrismaClient;
  logger: Logger;
  /** Action items of the weekly agendas: ticks in the agenda's card. */
  actionItems?: ActionItemService;
}

/** The person behind a Teams activity, as the handoff knows people: by Entra ID (AAD) object id. */
export function teamsActor(from: { aadObjectId?: string; name?: string; id: string }): Actor | undefined {
  if (!from.aadObjectId) return undefined;
  return { user: `teams:${from.aadObjectId}`, displayName: from.name };
}
