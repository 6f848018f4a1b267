/**
 * `GET /metrics` (CONTRACT.md): Prometheus text, behind the read API's bearer token. Off (404) while
 * BATON_API_TOKEN is unset, like the read API: metrics name sources and volumes, which are not for everyone.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Express, RequestHandler } from "express";
import { AppError } from "../errors.ts";
import type { BatonMetrics } from "../metrics/baton-metrics.ts";

export const METRICS_PATH = "/metrics";

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** `Authorization: Bearer <token>` or 401. */
export function requireBearerToken(token: string): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer (.+)$/.exec(req.get("authorization") ?? "");
    if (match && sameToken(match[1], token)) return next();
    next(new AppError("UNAUTHORIZED", { message: "Send Authorization: Bearer <BATON_API_TOKEN>." }));
  };
}

export function createMetricsRoute(options: { metrics: BatonMetrics; apiToken: string | undefined }) {
  return (app: Express) => {
    if (!options.apiToken) return;
    app.get(METRICS_PATH, requireBearerToken(options.apiToken), async (_req, res, next) => {
      try {
        const text = await options.metrics.registry.metrics();
        res.type(options.metrics.registry.contentType).send(text);
      } catch (error) {
        next(error);
      }
    });
  };
}
