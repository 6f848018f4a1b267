/**
 * Funnel events from a CRM (CONTRACT.md `POST /webhooks/crm`): their shape. What each may do to a lead is the
 * lifecycle's call (`lifecycle.ts`, actor `crm`).
 */
import { z } from "zod";

export const FUNNEL_EVENT_TYPES = ["first_touch", "sql", "opportunity", "won", "lost", "renewed", "churned"] as const;
export type CrmEventType = (typeof FUNNEL_EVENT_TYPES)[number];

const AMOUNT_REQUIRED: CrmEventType[] = ["opportunity", "won", "renewed"];

export const ZCrmEvent = z
  .looseObject({
    source: z.string().trim().min(1, "is required").max(100).toLowerCase(),
    externalId: z
      .union([z.string(), z.number()], { error: "must be a string or a number" })
      .transform(String)
      .pipe(z.string().trim().min(1, "is required").max(255)),
    type: z.enum(FUNNEL_EVENT_TYPES, { error: `must be one of ${FUNNEL_EVENT_TYPES.join(", ")}` }),
    lead: z
      .object({
        id: z.string().trim().optional(),
        email: z.string().trim().toLowerCase().pipe(z.email("must be an email address")).optional(),
        source: z.string().trim().toLowerCase().optional(),
        externalId: z.union([z.string(), z.number()]).transform(String).optional(),
      })
      .refine((lead) => Boolean(lead.id || lead.email || (lead.source && lead.externalId)), {
        message: "must name the lead by id, by email, or by source + externalId",
      }),
    amount: z.number({ error: "must be a number" }).min(0).max(1e12).optional(),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, "must be a three-letter ISO currency code")
      .optional(),
    reason: z.string().trim().max(2000).optional(),
    occurredAt: z.iso
      .datetime({ offset: true, message: "must be an ISO 8601 date-time" })
      .transform((value) => new Date(value))
      .optional(),
  })
  .superRefine((event, ctx) => {
    if (AMOUNT_REQUIRED.includes(event.type) && event.amount === undefined) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: `is required for ${event.type}` });
    }
  });

export type TCrmEvent = z.output<typeof ZCrmEvent>;
