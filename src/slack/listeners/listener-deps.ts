/** What every Slack listener is given: the handoff (all business decisions), the outbound port, a logger. */
import type { ActionItemService } from "../../agenda/action-item-service.ts";
import type { AnswerCommand } from "../../commands/answer-command.ts";
import type { ChatMessage, ChatPort } from "../../domain/chat-message.ts";
import { AppError } from "../../errors.ts";
import type { Actor, HandoffService } from "../../handoff/handoff-types.ts";
import type { Logger } from "../../logger.ts";

export interface SlackListenerDeps {
  handoff: HandoffService;
  /** Answers `/baton …` with the grammar every platform shares. */
  answerCommand: AnswerCommand;
  /** Baton's Slack {@link ChatPort}, for ephemeral replies rendered like every other message. */
  chat: ChatPort;
  logger: Logger;
  /** Action items of the weekly agendas (the "Add to agenda" shortcut, the agenda's checkboxes). */
  actionItems?: ActionItemService;
}

/** The person behind a Slack interaction, as the handoff knows people. */
export function slackActor(user: { id: string; name?: string; username?: string }): Actor {
  return { user: `slack:${user.id}`, displayName: user.name ?? user.username };
}

/** Where to answer someone privately: ephemeral in the channel they clicked in, else their DM with Baton. */
export interface ReplyTarget {
  /** Slack user id, `U…`. */
  user: string;
  /** Slack channel id, `C…`, when the interaction came from a channel. */
  channel?: string;
}

/** Tells one person something only they see. Never throws: a failed reply is logged, not shown as an error. */
export async function tellUser(deps: SlackListenerDeps, target: ReplyTarget, message: ChatMessage): Promise<void> {
  try {
    if (target.channel) {
      await deps.chat.replyPrivately(`slack:${target.channel}`, `slack:${target.user}`, message);
    } else {
      await deps.chat.sendDirect(`slack:${target.user}`, message);
    }
  } catch (error) {
    deps.logger.warn({ err: error, user: target.user }, "could not reply to Slack user");
  }
}

/** Logs what went wrong and tells the person in plain words; a stack trace never reaches Slack. */
export async function reportFailure(
  deps: SlackListenerDeps,
  target: ReplyTarget,
  error: unknown,
  doing: string,
): Promise<void> {
  const appError = AppError.from(error);
  deps.logger.error({ err: error, user: target.user }, `Slack ${doing} failed`);
  await tellUser(deps, target, { text: appError.userMessage, blocks: [{ type: "text", text: appError.userMessage }] });
}
