/**
 * POST /webhooks/mql (generic JSON) and /webhooks/mql/{hubspot,salesforce,marketo} (their native shapes).
 * Raw bodies are read here, not by a global parser, so that signatures are checked over the exact bytes.
 */
import express, { type Express, type Request, type RequestHandler } from "express";
import type { BatonConfig } from "../config/baton-config.ts";
import type { RuntimeConfig } from "../config/env.ts";
import { ZCrmEvent } from "../domain/leads/funnel.ts";
import { toFieldErrors } from "../domain/leads/mql.ts";
import type { MqlSource } from "../domain/leads/source-mappers.ts";
import { findUnstorableJson } from "../domain/storable-input.ts";
import { AppError } from "../errors.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { BatonMetrics } from "../metrics/baton-metrics.ts";
import { receiveCrmEvent } from "./receive-crm-event.ts";
import { receiveMql, toMql } from "./receive-mql.ts";
import { isLoopback, verifyBatonSignature, verifyHubspotV3 } from "./verify-signature.ts";

export interface IntakeRoutesDeps {
  prisma: PrismaClient;
  config: Pick<RuntimeConfig, "intakeSigningSecret" | "hubspotClientSecret">;
  batonConfig: () => BatonConfig;
  logger: Logger;
  now?: () => Date;
  /** Counts and times every answer (`/metrics`). */
  metrics?: Pick<BatonMetrics, "intakeAnswered">;
  /** Called after a lead was offered, to deliver its card without waiting for the next outbox tick. */
  onLeadStored?: () => void;
}

export const MAX_BODY_BYTES = 1024 * 1024;

function rawBodyOf(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/**
 * The URLs HubSpot may have signed for this request. HubSpot only calls HTTPS endpoints, and behind a proxy
 * that does not say `X-Forwarded-Proto` Baton sees plain HTTP, so the HTTPS form is tried first.
 */
function hubspotSignedUris(req: Request): string[] {
  const path = `${req.get("host")}${req.originalUrl}`;
  return [...new Set([`https://${path}`, `${req.protocol}://${path}`])];
}

/**
 * Rejects unsigned or wrongly signed requests (401), per CONTRACT.md. With `acceptHubspot`, a request carrying
 * HubSpot's own v3 signature is checked against HUBSPOT_CLIENT_SECRET instead (HubSpot cannot sign Baton's way).
 */
export function authenticateWebhook(deps: IntakeRoutesDeps, options: { acceptHubspot?: boolean } = {}): RequestHandler {
  return (req, _res, next) => {
    const now = (deps.now ?? (() => new Date()))();
    const rawBody = rawBodyOf(req);
    const hubspotSignature = req.get("x-hubspot-signature-v3");
    if (options.acceptHubspot && hubspotSignature && deps.config.hubspotClientSecret) {
      const checks = hubspotSignedUris(req).map((uri) =>
        verifyHubspotV3({
          clientSecret: deps.config.hubspotClientSecret as string,
          signature: hubspotSignature,
          timestampMs: req.get("x-hubspot-request-timestamp"),
          method: req.method,
          uri,
          rawBody,
          nowMs: now.getTime(),
        }),
      );
      const passed = checks.find((check) => check.ok) ?? checks[0];
      return next(passed.ok ? undefined : new AppError("UNAUTHORIZED", { message: passed.reason }));
    }
    const secret = deps.config.intakeSigningSecret;
    if (!secret) {
      // Local mode without a secret: only this machine may post. `req.ip` sees through a local reverse proxy
      // (trusted for X-Forwarded-For), so traffic it forwards from elsewhere is not mistaken for local.
      if (isLoopback(req.ip ?? req.socket.remoteAddress)) return next();
      return next(
        new AppError("UNAUTHORIZED", {
          message:
            "Unsigned webhooks are accepted from this machine only; set INTAKE_SIGNING_SECRET and sign requests.",
        }),
      );
    }
    const check = verifyBatonSignature({
      secret,
      timestamp: req.get("x-baton-timestamp"),
      signature: req.get("x-baton-signature"),
      rawBody,
      nowSeconds: Math.floor(now.getTime() / 1000),
    });
    next(check.ok ? undefined : new AppError("UNAUTHORIZED", { message: check.reason }));
  };
}

/** The body as JSON that PostgreSQL can store (see storable-input.ts), or a 400 naming the first problem. */
export function parseJsonBody(rawBody: Buffer): unknown {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch (error) {
    throw new AppError("INVALID_INPUT", {
      message: `Request body is not valid JSON: ${(error as Error).message}`,
      details: { body: "must be valid JSON" },
    });
  }
  const unstorable = findUnstorableJson(body);
  if (unstorable) {
    throw new AppError("INVALID_INPUT", {
      message: `Request body cannot be stored: ${unstorable.path} ${unstorable.problem}.`,
      details: { [unstorable.path]: unstorable.problem },
    });
  }
  return body;
}

/**
 * The source as a metrics label: only from a body that passed the signature check (the handler runs after it),
 * cut short, and the shape's name for native payloads.
 */
function sourceLabel(body: unknown, shape?: MqlSource): string {
  if (shape) return shape;
  const source = (body as { source?: unknown } | null)?.source;
  return typeof source === "string" && source.trim() ? source.trim().toLowerCase().slice(0, 40) : "unknown";
}

export function createIntakeRoutes(deps: IntakeRoutesDeps): (app: Express) => void {
  const now = deps.now ?? (() => new Date());
  const readRaw = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  const authenticate = authenticateWebhook(deps);

  const handle =
    (shape?: MqlSource): RequestHandler =>
    async (req, res, next) => {
      try {
        const body = parseJsonBody(rawBodyOf(req));
        res.locals.intakeSource = sourceLabel(body, shape);
        const mql = toMql(body, shape);
        let result: Awaited<ReturnType<typeof receiveMql>>;
        try {
          result = await receiveMql(deps.prisma, { mql, rawPayload: body, config: deps.batonConfig(), now: now() });
        } catch (error) {
          deps.logger.error({ err: error, source: mql.source, externalId: mql.externalId }, "could not store MQL");
          throw new AppError("UNAVAILABLE", {
            message: "Baton could not store the lead right now; nothing was saved. Retry later.",
            cause: error,
          });
        }
        deps.logger.info(
          { leadId: result.leadId, status: result.status, linkedTo: result.linkedTo, team: result.offeredTo },
          "MQL received",
        );
        res.locals.intakeOutcome = result.status;
        if (result.status === "created") deps.onLeadStored?.();
        res.status(202).json({ leadId: result.leadId, status: result.status });
      } catch (error) {
        next(error);
      }
    };

  const handleCrmEvent: RequestHandler = async (req, res, next) => {
    try {
      const body = parseJsonBody(rawBodyOf(req));
      res.locals.intakeSource = sourceLabel(body);
      const parsed = ZCrmEvent.safeParse(body);
      if (!parsed.success) {
        const details = toFieldErrors(parsed.error.issues, body);
        throw new AppError("INVALID_INPUT", {
          message: `Invalid funnel event: ${Object.entries(details)
            .map(([field, problem]) => `${field} ${problem}`)
            .join("; ")}`,
          details,
        });
      }
      let result: Awaited<ReturnType<typeof receiveCrmEvent>>;
      try {
        result = await receiveCrmEvent(deps.prisma, parsed.data, now());
      } catch (error) {
        if (error instanceof AppError) throw error;
        deps.logger.error({ err: error, source: parsed.data.source }, "could not apply funnel event");
        throw new AppError("UNAVAILABLE", {
          message: "Baton could not apply the event right now; retry later.",
          cause: error,
        });
      }
      res.locals.intakeOutcome = result.status;
      if (result.status === "applied") deps.onLeadStored?.();
      res.status(202).json({ status: result.status, leadId: result.leadId });
    } catch (error) {
      next(error);
    }
  };

  /** Times the request and counts its answer once it is sent, whatever the answer. */
  const observe =
    (route: string): RequestHandler =>
    (_req, res, next) => {
      const started = process.hrtime.bigint();
      res.once("finish", () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        deps.metrics?.intakeAnswered(
          route,
          res.locals.intakeSource ?? "unknown",
          res.statusCode,
          seconds,
          res.locals.intakeOutcome,
        );
      });
      next();
    };

  return (app) => {
    app.post("/webhooks/crm", observe("crm"), readRaw, authenticate, handleCrmEvent);
    app.post("/webhooks/mql", observe("mql"), readRaw, authenticate, handle());
    for (const shape of ["hubspot", "salesforce", "marketo"] as const) {
      const check = shape === "hubspot" ? authenticateWebhook(deps, { acceptHubspot: true }) : authenticate;
      app.post(`/webhooks/mql/${shape}`, observe(`mql/${shape}`), readRaw, check, handle(shape));
    }
  };
}
