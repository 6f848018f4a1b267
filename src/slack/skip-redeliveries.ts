/**
 * Slack redelivers a request it thinks failed, marking it `X-Slack-Retry-Num`. Nothing may happen twice:
 * - Events API deliveries carry an `event_id`: the first delivery of an id is handled (even if it arrives as a
 *   retry because the original never reached Baton), every later one is only acknowledged;
 * - interactive payloads and slash commands have no id, and Slack does not retry them; one marked as a retry is
 *   a duplicate of a click Baton already received, so it is acknowledged and dropped.
 */
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { recordInboundReceipt } from "../repositories/inbound-receipts.ts";

export const SLACK_EVENT_RECEIPT_SOURCE = "slack-event";

export function skipRedeliveries(deps: { prisma: PrismaClient; logger: Logger }): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, context, next } = args;
    const eventId = (body as { event_id?: unknown }).event_id;
    const ack = (args as { ack?: () => Promise<void> }).ack;
    if (typeof eventId === "string" && eventId) {
      if (!(await recordInboundReceipt(deps.prisma, SLACK_EVENT_RECEIPT_SOURCE, eventId))) {
        deps.logger.info({ eventId, retryNum: context.retryNum }, "Slack event already handled; redelivery ignored");
        return;
      }
    } else if (context.retryNum !== undefined) {
      deps.logger.info({ retryNum: context.retryNum }, "Slack retry of an interaction ignored");
      await ack?.();
      return;
    }
    await next();
  };
}
