/**
 * The MQL as Baton receives it (CONTRACT.md's generic JSON): validated, normalised, unknown fields kept.
 */
import { z } from "zod";

const optionalText = (max = 500) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => value || undefined);

const optionalInt = (min: number, max: number) =>
  z
    .union(
      [
        z.number(),
        z
          .string()
          .trim()
          .regex(/^-?\d+(\.\d+)?$/)
          .transform(Number),
      ],
      { error: "must be a number" },
    )
    .pipe(z.number().int("must be a whole number").min(min).max(max))
    .nullish()
    .transform((value) => value ?? undefined);

/**
 * An ISO 8601 date-time from outside, within years 1970–2099. Year 0000 and 9999 parse as dates, but PostgreSQL
 * refuses the first and a time-zone offset can push the second past year 9999; neither is a real event's time.
 */
export const ZDateTime = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time" })
  .transform((value) => new Date(value))
  .refine(
    (date) => date.getUTCFullYear() >= 1970 && date.getUTCFullYear() < 2100,
    "must be a date-time between the years 1970 and 2099",
  );

export const ZMql = z.looseObject({
  source: z.string().trim().min(1, "is required").max(100).toLowerCase(),
  externalId: z
    .union([z.string(), z.number()], { error: "must be a string or a number" })
    .transform(String)
    .pipe(z.string().trim().min(1, "is required").max(255)),
  email: z.string().trim().toLowerCase().pipe(z.email("must be an email address").max(320)),
  firstName: optionalText(200),
  lastName: optionalText(200),
  company: optionalText(300),
  title: optionalText(300),
  phone: optionalText(50),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "must be a two-letter ISO country code")
    .nullish()
    .transform((value) => value ?? undefined),
  region: optionalText(50),
  employees: optionalInt(0, 10_000_000),
  industry: optionalText(200),
  score: optionalInt(-1_000_000, 1_000_000),
  campaign: optionalText(300),
  channel: optionalText(100),
  notes: optionalText(5_000),
  website: optionalText(500),
  createdAt: ZDateTime.nullish().transform((value) => value ?? undefined),
});

export type TMql = z.output<typeof ZMql>;

/** Field → message for every problem, e.g. `{ email: "is required" }`. */
export type FieldErrors = Record<string, string>;

export function parseMql(input: unknown): { ok: true; mql: TMql } | { ok: false; errors: FieldErrors } {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, errors: { body: "must be a JSON object" } };
  }
  const result = ZMql.safeParse(input);
  if (result.success) return { ok: true, mql: result.data };
  return { ok: false, errors: toFieldErrors(result.error.issues, input) };
}

/** One message per field, "is required" when the field is absent, for 400 answers that name every bad field. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], input: unknown): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.join(".") || "body";
    const value = issue.path.length === 1 ? (input as Record<PropertyKey, unknown>)[issue.path[0]] : true;
    const missing = value === undefined || value === null || value === "";
    errors[field] ??= missing ? "is required" : issue.message;
  }
  return errors;
}

const FREE_MAIL = new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.com",
  "hotmail.com",
  "outlook.com",
  "live.com",
  "icloud.com",
  "me.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "gmx.com",
  "gmx.de",
  "web.de",
  "mail.com",
  "yandex.com",
]);

/** The company's domain for named-account routing: the website's host, else the email's (not a free-mail one). */
export function companyDomainOf(email: string, website?: string): string | undefined {
  if (website) {
    try {
      const host = new URL(website.includes("://") ? website : `https://${website}`).hostname.toLowerCase();
      return host.replace(/^www\./, "");
    } catch {
      // Not a URL: fall through to the email's domain.
    }
  }
  const domain = email.split("@")[1]?.toLowerCase();
  return domain && !FREE_MAIL.has(domain) ? domain : undefined;
}
