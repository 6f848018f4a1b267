/**
 * Slack redelivers a request it thinks failed, marking it `X-Slack-Retry-Num`. Nothing may happen twice:
 * - Events API deliveries carry an `event_id`: the first delivery of an id is handled (even if it arrives as a
 *   retry because the original never reached Baton), every later one is only acknowledged;
 * - interactive payloads and slash commands have no id, and Slack does not retry them; one marked as a retry is
 *   a duplicate of a click Baton already received, so it is acknowledged and dropped;
 * - in Socket Mode every envelope has an id, and Slack resends an envelope that was not acknowledged (its connection
 *   rotated before the ack got out) on the next connection, with the same id: the first is handled, later ones are
 *   only acknowledged. One whose handling failed (an ack that could not be sent, above all) is forgotten again, so
 *   that Slack's redelivery is handled instead of being dropped as a repeat.
 */
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { forgetInboundReceipt, recordInboundReceipt } from "../repositories/inbound-receipts.ts";

export const SLACK_EVENT_RECEIPT_SOURCE = "slack-event";
export const SLACK_ENVELOPE_RECEIPT_SOURCE = "slack-envelope";

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
    } else if (typeof context.envelopeId === "string" && context.envelopeId) {
      const envelopeId = context.envelopeId;
      if (!(await recordInboundReceipt(deps.prisma, SLACK_ENVELOPE_RECEIPT_SOURCE, envelopeId))) {
        deps.logger.info({ envelopeId }, "Slack envelope already handled; redelivery acknowledged and ignored");
        await ack?.();
        return;
      }
      try {
        await next();
      } catch (error) {
        await forgetInboundReceipt(deps.prisma, SLACK_ENVELOPE_RECEIPT_SOURCE, envelopeId).catch((failure: unknown) =>
          deps.logger.error({ err: failure, envelopeId }, "could not forget a failed Slack envelope"),
        );
        throw error;
      }
      return;
    } else if (context.retryNum !== undefined) {
      deps.logger.info({ retryNum: context.retryNum }, "Slack retry of an interaction ignored");
      await ack?.();
      return;
    }
    await next();
  };
}
