/**
 * CSV import of marketing spend: columns week, channel, campaign, amount, currency (header spellings forgiven).
 * Good rows are stored, bad rows reported with their line; a week + channel + campaign already stored gets the
 * new amount, so a corrected file can simply be imported again.
 */
import fs from "node:fs";
import { CsvError, parse } from "csv-parse";
import { parseSpendRow } from "../domain/kpi/marketing-spend.ts";
import { AppError } from "../errors.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

export interface SpendImportSummary {
  rows: number;
  stored: number;
  rejected: { line: number; errors: Record<string, string> }[];
  stopped?: { line: number; reason: string };
}

const COLUMN_NAMES: Record<string, string> = {
  week: "week",
  weekstart: "week",
  weekof: "week",
  channel: "channel",
  campaign: "campaign",
  amount: "amount",
  spend: "amount",
  cost: "amount",
  currency: "currency",
};
const REQUIRED = ["week", "channel", "amount"];

export function spendColumns(header: string[]): string[] {
  const columns = header.map((name) => COLUMN_NAMES[name.toLowerCase().replace(/[^a-z]/g, "")] ?? name.trim());
  const missing = REQUIRED.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw new AppError("INVALID_INPUT", {
      message: `the header (line 1) has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""}; found: ${header.join(", ")}`,
    });
  }
  return columns;
}

export async function importSpendFromCsv(options: {
  prisma: PrismaClient;
  file: string;
  onProgress?: (rowsDone: number) => void;
}): Promise<SpendImportSummary> {
  const summary: SpendImportSummary = { rows: 0, stored: 0, rejected: [] };
  const source = fs.createReadStream(options.file);
  const parser = source.pipe(
    parse({
      columns: spendColumns,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }),
  );
  source.on("error", (error) => parser.destroy(error));
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      summary.rows++;
      const parsed = parseSpendRow(record);
      if (!parsed.ok) {
        summary.rejected.push({ line: info.lines, errors: parsed.errors });
      } else {
        const { week, channel, campaign, amount, currency } = parsed.row;
        const weekStart = new Date(`${week}T00:00:00Z`);
        await options.prisma.marketingSpend.upsert({
          where: { weekStart_channel_campaign: { weekStart, channel, campaign } },
          create: { weekStart, channel, campaign, amount: new Prisma.Decimal(amount), currency },
          update: { amount: new Prisma.Decimal(amount), currency },
        });
        summary.stored++;
      }
      options.onProgress?.(summary.rows);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    summary.stopped = {
      line: Number(error.lines ?? 0),
      reason: error.message.replace(/\s+at line \d+.*$/s, ""),
    };
  } finally {
    source.destroy();
  }
  return summary;
}

export function formatSpendImportSummary(summary: SpendImportSummary): string {
  const lines = [`${summary.rows} rows: ${summary.stored} stored, ${summary.rejected.length} rejected`];
  for (const row of summary.rejected) {
    lines.push(
      `  line ${row.line}: ${Object.entries(row.errors)
        .map(([field, message]) => `${field} ${message}`)
        .join("; ")}`,
    );
  }
  if (summary.stopped) {
    lines.push(`Stopped at line ${summary.stopped.line}: ${summary.stopped.reason}. Fix that line and import again.`);
  }
  return lines.join("\n");
}
