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

/** The single place that turns errors into HTTP answers; a stack trace never reaches the caller. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const parserError = error as { type?: string; status?: number };
  let appError: AppError;
  if (parserError.type === "entity.too.large") {
    appError = new AppError("PAYLOAD_TOO_LARGE", { message: "Request body is larger than 1 MiB." });
  } else if (parserError.type === "entity.parse.failed") {
    appError = new AppError("INVALID_INPUT", { message: "Request body is not valid JSON." });
  } else {
    appError = AppError.from(error);
  }
  if (appError.code === "INTERNAL") req.log?.error({ err: error }, "unhandled error");
  if (res.headersSent) return;
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

export function listen(app: Express, port: number, host?: string): Promise<RunningServer> {
  const server = http.createServer(app);
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
