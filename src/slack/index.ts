/**
 * The Slack adapter: a Bolt app on Baton's shared HTTP server at `POST /slack/events` (signatures verified by
 * Bolt), its listeners, and the outbound {@link SlackChat} port the outbox delivers through.
 */
import { App, ExpressReceiver } from "@slack/bolt";
import express, { type Express } from "express";
import type { AnswerCommand } from "../commands/answer-command.ts";
import type { RuntimeConfig } from "../config/env.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { HandoffService } from "../handoff/handoff-types.ts";
import type { Logger } from "../logger.ts";
import { toSlackLogger } from "./bolt-logger.ts";
import { registerListeners } from "./listeners/index.ts";
import { skipRedeliveries } from "./skip-redeliveries.ts";
import { SlackChat, slackClientOptions } from "./slack-chat.ts";

export const SLACK_EVENTS_PATH = "/slack/events";

export interface SlackAdapterOptions {
  slack: NonNullable<RuntimeConfig["slack"]>;
  handoff: HandoffService;
  /** `/baton …`: the command grammar every platform shares. */
  answerCommand: AnswerCommand;
  prisma: PrismaClient;
  logger: Logger;
}

export interface SlackAdapter {
  /** Outbound: register as `ports.slack`. */
  readonly port: SlackChat;
  /** The Bolt app, for tests and future listeners. */
  readonly bolt: App;
  /** Adds `POST /slack/events` to the shared Express app. */
  mount(app: Express): void;
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { slack, logger } = options;
  const slackLogger = toSlackLogger(logger);
  const router = express.Router();
  const receiver = new ExpressReceiver({
    signingSecret: slack.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    // Ack first, then work: Slack's 3-second deadline is met by the ack, not by the handoff's transaction.
    processBeforeResponse: false,
    router,
    logger: slackLogger,
  });
  const bolt = new App({
    receiver,
    // One workspace, one bot token. A fixed authorize also spares an `auth.test` call at start-up, which
    // would otherwise need Slack to be reachable before Baton can start.
    authorize: async () => ({ botToken: slack.botToken }),
    clientOptions: slackClientOptions(slack.apiUrl, logger),
    logger: slackLogger,
    // Baton subscribes to no message events, so there is no echo of its own posts to filter out.
    ignoreSelf: false,
  });
  const port = new SlackChat({ botToken: slack.botToken, apiUrl: slack.apiUrl, logger });

  bolt.use(skipRedeliveries({ prisma: options.prisma, logger }));
  registerListeners(bolt, { handoff: options.handoff, answerCommand: options.answerCommand, chat: port, logger });
  bolt.error(async (error) => {
    logger.error({ err: error, code: (error as { code?: string }).code }, "unhandled error in a Slack listener");
  });

  return {
    port,
    bolt,
    mount(app) {
      app.use(router);
    },
  };
}
