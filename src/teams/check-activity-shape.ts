/**
 * The least an activity must have for botbuilder to read it. botbuilder throws a plain Error on an activity without
 * a string `type` (and reads `conversation.id`, `from.id`, `serviceUrl` unguarded), which would reach the caller
 * as a 500; a body the Bot Framework never sends is the sender's fault: 400, before botbuilder runs.
 */
import type { RequestHandler } from "express";
import { z } from "zod";
import { AppError } from "../errors.ts";

const ZAccount = z.object({ id: z.string() }).passthrough();

const ZActivityShape = z
  .object({
    type: z.string().min(1),
    serviceUrl: z.string().min(1),
    channelId: z.string().optional(),
    conversation: z.object({ id: z.string().min(1), tenantId: z.string().optional() }).passthrough(),
    from: ZAccount.optional(),
    recipient: ZAccount.optional(),
    name: z.string().optional(),
    text: z.string().optional(),
    channelData: z.record(z.string(), z.unknown()).optional(),
    membersAdded: z.array(ZAccount).optional(),
    membersRemoved: z.array(ZAccount).optional(),
    entities: z.array(z.record(z.string(), z.unknown())).optional(),
    attachments: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .passthrough();

export const checkActivityShape: RequestHandler = (req, _res, next) => {
  const parsed = ZActivityShape.safeParse(req.body);
  if (parsed.success) return next();
  const issue = parsed.error.issues[0];
  next(
    new AppError("INVALID_INPUT", {
      message: `Not an activity the Bot Framework sends: ${issue.path.join(".") || "the body"}: ${issue.message}.`,
    }),
  );
};
