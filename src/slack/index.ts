/**
 * The Slack adapter: a Bolt app, its listeners, and the outbound {@link SlackChat} port the outbox delivers through.
 * Slack reaches it over HTTP on Baton's shared server at `POST /slack/events` (signatures verified strictly by
 * guard-slack-http.ts before Bolt reads anything), or in Socket Mode over a WebSocket Baton opens
 * (socket-mode.ts); the same listeners and middleware serve both.
 */
import { App, ExpressReceiver, type Receiver, type Logger as SlackLogger } from "@slack/bolt";
import express, { type Express } from "express";
import type { ActionItemService } from "../agenda/action-item-service.ts";
import type { AnswerCommand } from "../commands/answer-command.ts";
import type { RuntimeConfig } from "../config/env.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { HandoffService } from "../handoff/handoff-types.ts";
import type { Logger } from "../logger.ts";
import { toSlackLogger } from "./bolt-logger.ts";
import { guardSlackHttp } from "./guard-slack-http.ts";
import { HANDLED_SLACK_REQUESTS, registerListeners } from "./listeners/index.ts";
import { skipRedeliveries } from "./skip-redeliveries.ts";
import { SlackChat, slackClientOptions } from "./slack-chat.ts";
import { createSocketModeTransport, type SlackConnection } from "./socket-mode.ts";

export const SLACK_EVENTS_PATH = "/slack/events";

export interface SlackAdapterOptions {
  slack: NonNullable<RuntimeConfig["slack"]>;
  handoff: HandoffService;
  /** `/baton …`: the command grammar every platform shares. */
  answerCommand: AnswerCommand;
  prisma: PrismaClient;
  logger: Logger;
  /** Action items: the "Add to agenda" shortcut and the agenda's checkboxes. */
  actionItems?: ActionItemService;
}

export interface SlackAdapter {
  /** Outbound: register as `ports.slack`. */
  readonly port: SlackChat;
  /** The Bolt app, for tests and future listeners. */
  readonly bolt: App;
  /** Adds `POST /slack/events` to the shared Express app over HTTP; adds nothing in Socket Mode. */
  mount(app: Express): void;
  /** How Slack reaches Baton; over HTTP there is nothing to open, and the connection is always up. */
  readonly connection: SlackConnection;
}

/** What carries Slack's requests to the Bolt app: a receiver, its HTTP routes (if any) and its connection. */
interface SlackTransport {
  receiver: Receiver;
  mount(app: Express): void;
  connection: SlackConnection;
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { slack, logger } = options;
  const slackLogger = toSlackLogger(logger);
  const transport =
    slack.mode === "socket"
      ? socketModeTransport(slack.appToken, slack.apiUrl, logger)
      : httpTransport(slack.signingSecret, slackLogger, logger);
  const bolt = new App({
    receiver: transport.receiver,
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
  registerListeners(bolt, {
    handoff: options.handoff,
    answerCommand: options.answerCommand,
    chat: port,
    logger,
    actionItems: options.actionItems,
  });
  bolt.error(async (error) => {
    logger.error({ err: error, code: (error as { code?: string }).code }, "unhandled error in a Slack listener");
  });

  return { port, bolt, mount: transport.mount, connection: transport.connection };
}

function httpTransport(signingSecret: string, slackLogger: SlackLogger, logger: Logger): SlackTransport {
  const router = express.Router();
  // Baton verifies signatures itself, strictly, before Bolt reads anything (see verify-slack-request.ts).
  guardSlackHttp(router, SLACK_EVENTS_PATH, { signingSecret, handled: HANDLED_SLACK_REQUESTS, logger });
  const receiver = new ExpressReceiver({
    signingSecret,
    signatureVerification: false,
    endpoints: SLACK_EVENTS_PATH,
    // Ack first, then work: Slack's 3-second deadline is met by the ack, not by the handoff's transaction.
    processBeforeResponse: false,
    router,
    logger: slackLogger,
  });
  return {
    receiver,
    mount(app) {
      app.use(router);
    },
    connection: { start: async () => {}, stop: async () => {}, isConnected: () => true },
  };
}

function socketModeTransport(appToken: string, apiUrl: string, logger: Logger): SlackTransport {
  const { receiver, connection } = createSocketModeTransport({ appToken, apiUrl, logger });
  // Nothing at /slack/events: in Socket Mode a request there is not from Slack, and the server answers 404.
  return { receiver, mount() {}, connection };
}
