/**
 * The Microsoft Teams adapter: a botbuilder CloudAdapter on Baton's shared HTTP server at `POST /api/messages`
 * (Bot Framework JWTs verified on every request), its activity handler, and the outbound {@link TeamsChat} port
 * the outbox delivers through. All of botbuilder stays inside this folder.
 */
import { type Request as BotRequest, type Response as BotResponse, CloudAdapter } from "botbuilder";
import express, { type Express } from "express";
import type { ActionItemService } from "../agenda/action-item-service.ts";
import type { AnswerCommand } from "../commands/answer-command.ts";
import type { RuntimeConfig } from "../config/env.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { HandoffService } from "../handoff/handoff-types.ts";
import type { Logger } from "../logger.ts";
import { BatonTeamsBot } from "./baton-teams-bot.ts";
import { createBotFrameworkAuth } from "./bot-framework-auth.ts";
import { checkActivityShape } from "./check-activity-shape.ts";
import { refuseOtherTenants } from "./refuse-other-tenants.ts";
import { TeamsChat } from "./teams-chat.ts";

export const TEAMS_MESSAGES_PATH = "/api/messages";

export interface TeamsAdapterOptions {
  teams: NonNullable<RuntimeConfig["teams"]>;
  botFramework: RuntimeConfig["botFramework"];
  handoff: HandoffService;
  /** Messages to the bot: the command grammar every platform shares. */
  answerCommand: AnswerCommand;
  prisma: PrismaClient;
  logger: Logger;
  /** Action items: ticks in the agenda's card. */
  actionItems?: ActionItemService;
}

export interface TeamsAdapter {
  /** Outbound: register as `ports.teams`. */
  readonly port: TeamsChat;
  readonly adapter: CloudAdapter;
  /** Adds `POST /api/messages` to the shared Express app. */
  mount(app: Express): void;
}

export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { teams, logger } = options;
  const adapter = new CloudAdapter(createBotFrameworkAuth(teams, options.botFramework));
  adapter.onTurnError = async (context, error) => {
    // Proactive turns (continue/create conversation) are the outbox's: it must see the failure to retry.
    if (context.activity?.type === "event") throw error;
    logger.error({ err: error, activityType: context.activity?.type }, "unhandled error in a Teams handler");
    // A person never sees a stack trace: a short apology in the conversation, if Teams lets us post there.
    if (context.activity?.type === "message") {
      await context
        .sendActivity("Sorry, Baton could not do that just now. Please try again in a moment.")
        .catch(() => undefined);
    }
  };
  const bot = new BatonTeamsBot({
    handoff: options.handoff,
    answerCommand: options.answerCommand,
    prisma: options.prisma,
    logger,
    actionItems: options.actionItems,
  });
  const port = new TeamsChat({ adapter, appId: teams.appId, tenantId: teams.tenantId, prisma: options.prisma, logger });

  return {
    port,
    adapter,
    mount(app) {
      const allowTenants = refuseOtherTenants(teams.allowedTenants, logger);
      app.post(
        TEAMS_MESSAGES_PATH,
        express.json({ limit: "1mb" }),
        allowTenants,
        checkActivityShape,
        async (req, res) => {
          await adapter.process(req as unknown as BotRequest, res as unknown as BotResponse, (context) =>
            bot.run(context),
          );
        },
      );
    },
  };
}
