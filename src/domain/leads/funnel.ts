/**
 * Funnel events from a CRM (CONTRACT.md `POST /webhooks/crm`): what each does to a lead, and which the lead's
 * state forbids (e.g. `won` on a rejected lead). Pure rules; the intake applies them in a transaction.
 */
import { z } from "zod";
import { ZDateTime } from "./mql.ts";

export const FUNNEL_EVENT_TYPES = ["first_touch", "sql", "opportunity", "won", "lost", "renewed", "churned"] as const;
export type CrmEventType = (typeof FUNNEL_EVENT_TYPES)[number];

export type LeadLifecycleStatus =
  | "new"
  | "offered"
  | "accepted"
  | "rejected"
  | "contacted"
  | "sql"
  | "opportunity"
  | "won"
  | "lost"
  | "recycled";

const MAX_AMOUNT = 999_999_999_999.99;

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
    // The deal's amount column is Decimal(14, 2): twelve digits before the point.
    amount: z
      .number({ error: "must be a number" })
      .min(0, "must not be negative")
      .max(MAX_AMOUNT, "must be less than 1,000,000,000,000")
      .optional(),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, "must be a three-letter ISO currency code")
      .optional(),
    reason: z.string().trim().max(2000).optional(),
    occurredAt: ZDateTime.optional(),
  })
  .superRefine((event, ctx) => {
    if (AMOUNT_REQUIRED.includes(event.type) && event.amount === undefined) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: `is required for ${event.type}` });
    }
  });

export type TCrmEvent = z.output<typeof ZCrmEvent>;

export type FunnelTransition = { allowed: true; status: LeadLifecycleStatus } | { allowed: false; reason: string };

const WORKING: LeadLifecycleStatus[] = ["accepted", "contacted", "sql", "opportunity"];
const RANK: Partial<Record<LeadLifecycleStatus, number>> = { accepted: 1, contacted: 2, sql: 3, opportunity: 4 };

/** Never moves a lead backwards: an `sql` event on an opportunity is recorded but keeps the status. */
const atLeast = (current: LeadLifecycleStatus, target: LeadLifecycleStatus): LeadLifecycleStatus =>
  (RANK[current] ?? 0) >= (RANK[target] ?? 0) ? current : target;

export function funnelTransition(current: LeadLifecycleStatus, type: CrmEventType): FunnelTransition {
  const refuse = (why: string): FunnelTransition => ({ allowed: false, reason: `${type} is not possible: ${why}` });
  const notWorked = () => {
    if (current === "rejected") return refuse("sales rejected this lead");
    if (current === "recycled") return refuse("the lead was disqualified and went back to marketing");
    if (current === "won" || current === "lost") return refuse(`the lead is already ${current}`);
    return refuse("nobody has accepted the lead yet");
  };
  switch (type) {
    case "first_touch":
      return WORKING.includes(current) ? { allowed: true, status: atLeast(current, "contacted") } : notWorked();
    case "sql":
      return WORKING.includes(current) ? { allowed: true, status: atLeast(current, "sql") } : notWorked();
    case "opportunity":
      return WORKING.includes(current) ? { allowed: true, status: "opportunity" } : notWorked();
    case "won":
    case "lost":
      return WORKING.includes(current) ? { allowed: true, status: type } : notWorked();
    case "renewed":
    case "churned":
      return current === "won" ? { allowed: true, status: "won" } : refuse("only a won customer can renew or churn");
  }
}
