/**
 * The one HTTP server: health checks, and the mount points the platform adapters and webhooks plug into.
 * Express, because Bolt's ExpressReceiver and botbuilder's CloudAdapter both speak it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler, type Express } from "express";
import { pinoHttp } from "pino-http";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";

export interface HttpAppOptions {
  logger: Logger;
  isReady: () => Promise<boolean>;
  /** Outgoing connections Baton needs to serve (Slack's Socket Mode): `/readyz` is 503 while one is down. */
  connections?: { name: string; isConnected: () => boolean }[];
  /** True once a shutdown began: `/readyz` answers 503 so that a load balancer sends new work elsewhere. */
  isDraining?: () => boolean;
  /** Each adds its routes (webhooks, /slack/events, /api/messages). */
  mounts: ((app: Express) => void)[];
}

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(
    pinoHttp({
      logger: options.logger,
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
      serializers: {
        req: (req) => ({ method: req.method, url: req.url }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    if (options.isDraining?.()) {
      res.status(503).json({ status: "draining: shutting down" });
      return;
    }
    if (!(await options.isReady())) {
      res.status(503).json({ status: "database unavailable" });
      return;
    }
    const down = (options.connections ?? []).filter((connection) => !connection.isConnected());
    if (down.length > 0) {
      res.status(503).json({ status: `not connected: ${down.map((connection) => connection.name).join(", ")}` });
      return;
    }
    res.json({ status: "ready" });
  });
  for (const mount of options.mounts) mount(app);
  app.use((_req, res) => {
    res.status(404).json({ error: "not_found", message: "No such endpoint." });
  });
  app.use(errorHandler);
  return app;
}

/**
 * What Express's body readers (body-parser, raw-body) report, as Baton's errors. Their errors carry a `type` and a
 * 4xx `status`; each is the sender's fault and must be answered as such, not as Baton's (500).
 */
function fromBodyReader(error: { type?: string; status?: number; message?: string }): AppError | undefined {
  switch (error.type) {
    case "entity.too.large":
      return new AppError("PAYLOAD_TOO_LARGE", { message: "Request body is larger than 1 MiB." });
    case "entity.parse.failed":
      return new AppError("INVALID_INPUT", { message: "Request body is not valid JSON." });
    case "encoding.unsupported":
    case "charset.unsupported":
      return new AppError("UNSUPPORTED_MEDIA_TYPE", {
        message: `${error.message ?? "Unsupported encoding"}: send the body as identity, gzip, deflate or br, in UTF-8.`,
      });
    case "request.aborted":
      return new AppError("INVALID_INPUT", { message: "The client closed the connection before sending the body." });
  }
  if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
    // A compressed body that does not decompress (corrupt gzip) and other unreadable bodies.
    return new AppError("INVALID_INPUT", {
      message: "Request body could not be read (is its Content-Encoding right?).",
    });
  }
  return undefined;
}

/** The single place that turns errors into HTTP answers; a stack trace never reaches the caller. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const appError = error instanceof AppError ? error : (fromBodyReader(error ?? {}) ?? AppError.from(error));
  if (appError.code === "INTERNAL") req.log?.error({ err: error }, "unhandled error");
  // A client that hung up gets no answer; writing one would only fail.
  if (res.headersSent || req.socket.destroyed) return;
  res.status(appError.status).json({
    error: appError.code.toLowerCase(),
    message: appError.userMessage,
    ...(appError.details === undefined ? {} : { details: appError.details }),
  });
};

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes idle keep-alive sockets. */
  close(graceMs?: number): Promise<void>;
}

/**
 * How long a client may take. A slow client (trickling its headers or body, on purpose or not) holds a socket and
 * memory; these close it with 408 instead of leaving it open for minutes. Slack, Teams and webhook senders send a
 * whole request in well under a second.
 */
export interface ServerTimeouts {
  /** Until the request's headers are complete. */
  headersTimeoutMs: number;
  /** Until the whole request (headers and body) is in. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** How often Node looks for connections past the first two limits. */
  checkIntervalMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
};

export function listen(
  app: Express,
  port: number,
  host?: string,
  timeouts: ServerTimeouts = DEFAULT_SERVER_TIMEOUTS,
): Promise<RunningServer> {
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    app,
  );
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            force.unref();
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
