/**
 * One row of marketing spend (`npm run import:spend`): what a channel (and optionally a campaign) cost in one
 * week. Weeks start on Monday; any day names its week. Amounts are summed as given: keep one currency.
 */
import { z } from "zod";
import { addDays, formatDay, parseDay } from "./period.ts";

export const ZSpendRow = z.object({
  week: z
    .string({ error: "is required" })
    .trim()
    .refine((value) => parseDay(value) !== null, "must be a date like 2026-11-16")
    .transform((value) => {
      const day = parseDay(value) as NonNullable<ReturnType<typeof parseDay>>;
      const weekday = (new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay() + 6) % 7;
      return formatDay(addDays(day, -weekday));
    }),
  channel: z.string({ error: "is required" }).trim().min(1, "is required").max(100),
  campaign: z
    .string()
    .trim()
    .max(255)
    .optional()
    .transform((value) => value ?? ""),
  amount: z
    .string({ error: "is required" })
    .trim()
    // Spreadsheets export 1,200.50: thousands separators are dropped, a decimal comma is not guessed at.
    .transform((value) => value.replace(/,(?=\d{3}(\D|$))/g, ""))
    .refine((value) => /^\d{1,12}(\.\d{1,2})?$/.test(value), "must be an amount like 1200.50, not negative")
    .transform(Number),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "must be a three-letter ISO currency code")
    .optional()
    .transform((value) => value ?? "USD"),
});

export type TSpendRow = z.output<typeof ZSpendRow>;

export type ParsedSpendRow = { ok: true; row: TSpendRow } | { ok: false; errors: Record<string, string> };

export function parseSpendRow(record: Record<string, string | undefined>): ParsedSpendRow {
  const cleaned = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== ""));
  const result = ZSpendRow.safeParse(cleaned);
  if (result.success) return { ok: true, row: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) errors[String(issue.path[0] ?? "row")] ??= issue.message;
  return { ok: false, errors };
}
