/**
 * Answers a command line typed on any platform: the grammar reads it (`src/domain/commands/`), the verb's handler
 * here answers it, and the adapter only renders the ChatMessage (Slack ephemeral, Teams card, console text).
 */
import type { ReloadOutcome } from "../admin/config-reloader.ts";
import { createActionItemService } from "../agenda/action-item-service.ts";
import { answerActionCommand } from "../agenda/answer-action-command.ts";
import { answerAgendaCommand } from "../agenda/answer-agenda-command.ts";
import type { BatonConfig } from "../config/baton-config.ts";
import { type ChatMessage, type ConversationId, platformOf } from "../domain/chat-message.ts";
import {
  adminOnlyReply,
  type Command,
  helpMessage,
  parseCommand,
  verbEntry,
} from "../domain/commands/command-grammar.ts";
import { AppError } from "../errors.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { answerKpiCommand } from "../kpi/answer-kpi-command.ts";
import { loadKpiReport } from "../kpi/load-kpi-report.ts";
import type { Logger } from "../logger.ts";
import { listStuckOutbox, retryOutboxMessage } from "../outbox/answer-outbox-command.ts";
import { forgetPerson } from "../privacy/forget-person.ts";
import { describeLead } from "../queries/describe-lead.ts";
import { slaStatus } from "../queries/sla-status.ts";
import { answerSpendCommand } from "../spend/answer-spend-command.ts";

export interface CommandDeps {
  prisma: PrismaClient;
  batonConfig: () => BatonConfig;
  /** Re-reads the YAML file; absent when Baton was not started from one. */
  reloadConfig?: (actor?: ConversationId) => Promise<ReloadOutcome>;
  logger: Logger;
  now?: () => Date;
}

/**
 * The words as the verb's own parser reads them: the grammar split `campaign:"Q4 webinar"` and a Teams mention
 * (`<at>Grace Hopper</at>`) into several words; put them back together, phrases quoted.
 */
function rejoin(args: string[]): string {
  return args
    .map((word) => (/\s/.test(word) ? `"${word}"` : word))
    .join(" ")
    .replace(/\b(source|campaign): "/gi, '$1:"')
    .replace(/<at>\s+/gi, "<at>")
    .replace(/\s+<\/at>/gi, "</at>");
}

/** Answers one command line from `actor` (platform-namespaced: `slack:U…`, `teams:<aad id>`, `console:<rep>`). */
export type AnswerCommand = (text: string, actor: ConversationId) => Promise<ChatMessage>;

type Handlers = {
  [V in Command["verb"]]: (
    deps: CommandDeps,
    command: Extract<Command, { verb: V }>,
    actor: ConversationId,
    now: Date,
  ) => Promise<ChatMessage> | ChatMessage;
};

const say = (text: string): ChatMessage => ({ text, blocks: [{ type: "text", text }] });

/** One handler per verb; TypeScript insists every verb of the grammar has one. */
const HANDLERS: Handlers = {
  help: () => helpMessage(),
  lead: (deps, command) => describeLead(deps.prisma, command.query),
  reload: async (deps, _command, actor) => {
    if (!deps.reloadConfig) return say("This Baton has no configuration file to reload.");
    // The reloader checks chat admins itself; the local operator asks as the process's owner, like SIGHUP.
    return (await deps.reloadConfig(isLocalOperator(actor) ? undefined : actor)).message;
  },
  kpi: (deps, command, _actor, now) =>
    answerKpiCommand(
      {
        batonConfig: deps.batonConfig,
        loadReport: (request) => loadKpiReport(deps.prisma, deps.batonConfig(), request),
      },
      rejoin(command.args),
      now,
    ),
  spend: (deps, command, actor, now) =>
    answerSpendCommand(
      { prisma: deps.prisma, batonConfig: deps.batonConfig, isAdmin: (user) => isAdmin(deps.batonConfig(), user) },
      rejoin(command.args),
      actor,
      now,
    ),
  forget: async (deps, command, actor, now) => {
    const result = await forgetPerson({ prisma: deps.prisma, now: () => now }, command.email);
    deps.logger.info({ actor, leads: result.leads }, "person erased on an admin's request");
    // The address is not repeated back: the answer may sit in a channel's history.
    return say(
      result.leads === 0
        ? "Baton holds no lead with that email address."
        : `Erased: ${result.leads} lead(s) anonymised; ${result.messagesUpdated} chat message(s) queued for update.`,
    );
  },
  outbox: async (deps, command, actor, now) => {
    if (command.retry === undefined) return listStuckOutbox(deps.prisma, now);
    const answer = await retryOutboxMessage(deps.prisma, command.retry, now);
    deps.logger.info({ actor, outboxId: command.retry }, "outbox message retried on an admin's request");
    return answer;
  },
  agenda: (deps, command, actor, now) =>
    answerAgendaCommand(
      { prisma: deps.prisma, batonConfig: deps.batonConfig, isAdmin: (user) => isAdmin(deps.batonConfig(), user) },
      command.args,
      actor,
      now,
    ),
  action: (deps, command, actor, now) =>
    answerActionCommand(
      {
        prisma: deps.prisma,
        config: deps.batonConfig(),
        actionItems: createActionItemService({ prisma: deps.prisma, batonConfig: deps.batonConfig, now: () => now }),
      },
      command.request,
      actor,
      now,
    ),
  sla: (deps, command, _actor, now) => slaStatus(deps.prisma, deps.batonConfig(), command.args.join(" "), now),
};

/** Local mode's terminal (and playground): whoever types there started Baton, so they are its admin. */
const isLocalOperator = (actor: ConversationId) => platformOf(actor) === "console";

export function isAdmin(config: BatonConfig, actor: ConversationId): boolean {
  return isLocalOperator(actor) || config.admins.includes(actor);
}

export function createCommandAnswerer(deps: CommandDeps): AnswerCommand {
  return async (text, actor) => {
    const parsed = parseCommand(text);
    if (!parsed.ok) return parsed.reply;
    const { command } = parsed;
    if (verbEntry(command.verb).adminOnly && !isAdmin(deps.batonConfig(), actor)) {
      return adminOnlyReply(command.verb);
    }
    try {
      const handler = HANDLERS[command.verb] as Handlers[Command["verb"]];
      const answer = handler as (
        d: CommandDeps,
        c: Command,
        a: ConversationId,
        now: Date,
      ) => Promise<ChatMessage> | ChatMessage;
      return await answer(deps, command, actor, (deps.now ?? (() => new Date()))());
    } catch (error) {
      deps.logger.error({ err: error, verb: command.verb, actor }, "command failed");
      return say(AppError.from(error).userMessage);
    }
  };
}
