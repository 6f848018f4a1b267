/**
 * Slack in Socket Mode: Baton opens an outgoing WebSocket to Slack (the app-level token asks `apps.connections.open`
 * for its URL) and receives events, interactivity and slash commands over it, so it needs no public URL.
 * Bolt's SocketModeReceiver speaks the protocol; this module keeps the connection up. Slack rotates connections
 * (a `disconnect` message, then the socket closes): Baton reconnects at once, so that the gap in which a click has
 * no connection to arrive on stays as short as a reconnect, then backs off while Slack cannot be reached.
 * An envelope Slack resends after a rotation is handled once: see skip-redeliveries.ts.
 */
import { SocketModeReceiver, webApi } from "@slack/bolt";
import { ConfigError } from "../config/config-error.ts";
import type { Logger } from "../logger.ts";
import { toSlackLogger } from "./bolt-logger.ts";
import { slackClientOptions } from "./slack-chat.ts";

/** Slack's inbound connection, as the rest of Baton sees it (start-up, shutdown, `/readyz`). */
export interface SlackConnection {
  /**
   * Connects. Resolves once connected, or at once when Slack cannot be reached (Baton then keeps trying in the
   * background); rejects only when Slack refuses the app-level token, which no retry will fix.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
  isConnected(): boolean;
}

export interface SocketModeOptions {
  appToken: string;
  /** The Web API base (`SLACK_API_URL`): `apps.connections.open` is called there, so tests can fake it. */
  apiUrl: string;
  logger: Logger;
  /** How long to wait after the n-th failed attempt in a row (1, 2, …). A dropped connection is retried at once. */
  retryDelayMs?: (failures: number) => number;
}

/** `apps.connections.open` errors that mean the token itself is wrong or revoked (as @slack/socket-mode lists them). */
const TOKEN_REFUSED = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "user_removed_from_team",
  "team_disabled",
]);

const defaultRetryDelayMs = (failures: number) => Math.min(30_000, 1_000 * 2 ** (failures - 1));

/** How long shutdown waits for Slack to answer the close handshake before dropping the socket anyway. */
const CLOSE_WAIT_MS = 2_000;

export function createSocketModeTransport(options: SocketModeOptions): {
  receiver: SocketModeReceiver;
  connection: SlackConnection;
} {
  const { logger } = options;
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger: toSlackLogger(logger),
    // Baton reconnects by itself (below): the client's own reconnect waits five seconds even after a planned rotation.
    autoReconnectEnabled: false,
    // The same client settings as every other Web API call: no hidden retries or sleeps, the loop below owns them.
    installerOptions: { clientOptions: slackClientOptions(options.apiUrl, logger) },
    // The envelope id reaches the middleware as `context.envelopeId`, for de-duplication.
    customPropertiesExtractor: (args: { envelope_id?: string }) => ({ envelopeId: args.envelope_id }),
  });
  const client = receiver.client;

  let connected = false;
  let stopping = false;
  let failures = 0;
  let wakeUp: (() => void) | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let reconnecting: Promise<void> | undefined;

  client.on("connected", () => {
    connected = true;
    failures = 0;
    logger.info("Slack Socket Mode connected");
  });
  client.on("disconnected", () => {
    const wasConnected = connected;
    connected = false;
    // A failed attempt also ends in `disconnected`; the loop that made it retries, so only a drop starts one.
    if (wasConnected && !stopping) {
      logger.info("Slack Socket Mode connection closed; reconnecting");
      reconnect();
    }
  });

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      retryTimer = setTimeout(resolve, ms);
    });

  /** One attempt: a fresh URL from `apps.connections.open`, then the WebSocket, until Slack's `hello`. */
  const connectOnce = async () => {
    await receiver.start();
    // Stopped while the attempt was under way: do not leave the new connection open.
    if (stopping) await closeClient();
  };

  const reconnect = (firstDelayMs = 0) => {
    reconnecting ??= (async () => {
      try {
        if (firstDelayMs > 0) await pause(firstDelayMs);
        while (!stopping) {
          try {
            await connectOnce();
            // Dropped again before this loop resumed: that drop found this loop still running, so go round again.
            if (connected || stopping) return;
          } catch (error) {
            if (stopping) return;
            failures += 1;
            const delay = retryDelayMs(failures);
            const slackError = slackErrorOf(error);
            // Once running, a refused token is retried rather than stopping Baton: webhooks still arrive meanwhile.
            logger[TOKEN_REFUSED.has(slackError ?? "") ? "error" : "warn"](
              { err: error, failures, retryInMs: delay, slackError },
              "could not connect to Slack in Socket Mode; retrying",
            );
            await pause(delay);
          }
        }
      } finally {
        reconnecting = undefined;
      }
    })();
  };

  const closeClient = async () => {
    const closed = client.disconnect();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
  };

  return {
    receiver,
    connection: {
      async start() {
        stopping = false;
        try {
          await connectOnce();
        } catch (error) {
          if (stopping) return;
          if (TOKEN_REFUSED.has(slackErrorOf(error) ?? "")) {
            throw new ConfigError(
              `SLACK_APP_TOKEN: Slack refused the app-level token (${slackErrorOf(error)}); check the token, and that Socket Mode is on for the app`,
              { cause: error },
            );
          }
          failures = 1;
          logger.warn(
            { err: error, slackError: slackErrorOf(error) },
            "could not connect to Slack in Socket Mode; retrying in the background",
          );
          reconnect(retryDelayMs(failures));
        }
      },
      async stop() {
        stopping = true;
        clearTimeout(retryTimer);
        wakeUp?.();
        await reconnecting;
        await closeClient();
        connected = false;
      },
      isConnected: () => connected,
    },
  };
}

/** The Slack error code of a failed Web API call (`invalid_auth`, …), if it was one. */
function slackErrorOf(error: unknown): string | undefined {
  const coded = error as { code?: string; data?: { error?: string } };
  return coded?.code === webApi.ErrorCode.PlatformError ? coded.data?.error : undefined;
}
