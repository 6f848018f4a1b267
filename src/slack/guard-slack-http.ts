/**
 * What stands in front of Bolt on `POST /slack/events` (the HTTP path only; Socket Mode has no signatures):
 * size first, then the signature headers, then the body read and verified by Baton's strict verifier, then its
 * shape (see classify-slack-request.ts). Only a verified, well-formed request Baton handles reaches Bolt, which is
 * handed the raw body it would otherwise read itself.
 */
import express, { type RequestHandler, type Router } from "express";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { classifySlackRequest, type HandledSlackRequests } from "./classify-slack-request.ts";
import { checkSlackHeaders, SLACK_MAX_BODY_BYTES, verifySlackRequest } from "./verify-slack-request.ts";

export interface SlackHttpGuardOptions {
  signingSecret: string;
  handled: HandledSlackRequests;
  logger: Logger;
  now?: () => Date;
}

/** Adds the guard to `router` for `path`; Bolt's ExpressReceiver must register its own handler after it. */
export function guardSlackHttp(router: Router, path: string, options: SlackHttpGuardOptions): void {
  const nowSeconds = () => Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const refuse = (message: string) => new AppError("UNAUTHORIZED", { message });

  const beforeReading: RequestHandler = (req, res, next) => {
    const length = Number(req.get("content-length"));
    if (Number.isFinite(length) && length > SLACK_MAX_BODY_BYTES) {
      // Answered without reading a byte of the body; the connection is closed rather than drained.
      res.set("Connection", "close");
      return next(new AppError("PAYLOAD_TOO_LARGE", { message: "Request body is larger than 1 MiB." }));
    }
    const check = checkSlackHeaders({
      timestamp: req.get("x-slack-request-timestamp"),
      signature: req.get("x-slack-signature"),
      nowSeconds: nowSeconds(),
    });
    if (!check.ok) {
      res.set("Connection", "close");
      options.logger.warn({ reason: check.reason }, "Slack request refused");
      return next(refuse(check.reason));
    }
    next();
  };

  // Slack does not compress its requests, and the signature covers the bytes as sent: no inflating.
  const readBody = express.raw({ type: () => true, limit: SLACK_MAX_BODY_BYTES, inflate: false });

  const verifyAndSort: RequestHandler = (req, res, next) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifySlackRequest({
      signingSecret: options.signingSecret,
      timestamp: req.get("x-slack-request-timestamp"),
      signature: req.get("x-slack-signature"),
      rawBody,
      nowSeconds: nowSeconds(),
    });
    if (!check.ok) {
      options.logger.warn({ reason: check.reason }, "Slack request refused");
      return next(refuse(check.reason));
    }
    const sorted = classifySlackRequest(rawBody.toString("utf8"), req.get("content-type"), options.handled);
    if (sorted.kind === "malformed") {
      options.logger.warn({ problem: sorted.problem }, "malformed Slack request refused");
      return next(new AppError("INVALID_INPUT", { message: `Not a request Slack sends: ${sorted.problem}.` }));
    }
    if (sorted.kind === "unknown") {
      options.logger.info({ what: sorted.what }, "Slack request Baton does not handle: acknowledged");
      res.status(200).send("");
      return;
    }
    // Bolt's body parser takes `rawBody` when present instead of reading the (already consumed) stream.
    (req as typeof req & { rawBody?: Buffer }).rawBody = rawBody;
    next();
  };

  router.post(path, beforeReading, readBody, verifyAndSort);
}
