/**
 * CSV backfill of MQLs. Columns are the generic MQL's field names (source, externalId, email, firstName, …);
 * other columns are kept in the raw payload. Good rows are stored, bad rows reported with their line number,
 * and a re-run stores nothing twice (same idempotency key as the webhook: source + externalId).
 *
 * Backfilled leads are history: they are stored as `new` without posting a card each, unless `route` is set,
 * which routes and offers every newly stored lead exactly as the webhook does.
 */
import fs from "node:fs";
import { CsvError, parse } from "csv-parse";
import type { BatonConfig } from "../config/baton-config.ts";
import { analyzeChangedTables } from "../db/analyze-changed-tables.ts";
import { parseMql, ZMql } from "../domain/leads/mql.ts";
import { AppError } from "../errors.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { insertLeadsSkippingDuplicates, leadRowOf } from "../repositories/leads.ts";
import { receiveMql } from "./receive-mql.ts";

export interface ImportSummary {
  rows: number;
  stored: number;
  duplicates: number;
  /** Line numbers count the header as line 1; a record spanning lines is reported at its first. */
  rejected: { line: number; errors: Record<string, string> }[];
  /** Set when the file could not be read on (a quoted field never closed, say): rows after it were not read. */
  stopped?: { line: number; reason: string };
}

export interface ImportOptions {
  prisma: PrismaClient;
  config: BatonConfig;
  file: string;
  now?: () => Date;
  /** Route and offer each new lead (posts a card per lead) instead of storing history only. */
  route?: boolean;
  batchSize?: number;
  onProgress?: (rowsDone: number) => void;
}

interface CsvRow {
  record: Record<string, string>;
  line: number;
}

const REQUIRED_COLUMNS = ["source", "externalId", "email"];
const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");
const MQL_FIELDS = new Map(Object.keys(ZMql.shape).map((field) => [squash(field), field]));

/**
 * Header names as the MQL's fields, forgiving spelling: `External ID`, `external_id` and `EXTERNALID` all mean
 * `externalId`. Other columns keep their names and land in the raw payload. A file without the required
 * columns is refused before anything is stored: every row would be rejected for the same reason.
 */
export function mqlColumns(header: string[]): string[] {
  const columns = header.map((name) => MQL_FIELDS.get(squash(name)) ?? name.trim());
  const missing = REQUIRED_COLUMNS.filter((field) => !columns.includes(field));
  if (missing.length > 0) {
    throw new AppError("INVALID_INPUT", {
      message: `the header (line 1) has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""}; found: ${header.join(", ")}`,
    });
  }
  return columns;
}

/** The line a record starts on, from the line it ends on and its raw text (blank lines before it excluded). */
function firstLineOf(lastLine: number, raw: string | undefined): number {
  const text = (raw ?? "").replace(/^(?:[ \t]*\r?\n)+/, "").replace(/\r?\n$/, "");
  return lastLine - (text.match(/\n/g)?.length ?? 0);
}

/** Counts data rows cheaply so a progress bar can show a total (quoted newlines make it an estimate). */
export async function countDataLines(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (byte === 10) lines++;
    last = chunk[chunk.length - 1] ?? last;
  }
  if (last !== 10) lines++;
  return Math.max(0, lines - 1);
}

export async function importLeadsFromCsv(options: ImportOptions): Promise<ImportSummary> {
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 1000;
  const summary: ImportSummary = { rows: 0, stored: 0, duplicates: 0, rejected: [] };
  let batch: Prisma.LeadCreateManyInput[] = [];
  // One batch is written while the next is read: on PostgreSQL the database works on one core while parsing and
  // validating go on on the other. Never more than one in flight, so memory stays at two batches.
  let writing: Promise<void> = Promise.resolve();

  const flush = async () => {
    await writing;
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    writing = insertLeadsSkippingDuplicates(options.prisma, rows).then((stored) => {
      summary.stored += stored;
      summary.duplicates += rows.length - stored;
    });
    // Handled when awaited (next flush, or the end); until then a failure must not count as unhandled.
    writing.catch(() => {});
  };

  const importRow = async ({ record, line }: CsvRow) => {
    summary.rows++;
    const cleaned = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ""));
    const parsed = parseMql(cleaned);
    if (!parsed.ok) {
      summary.rejected.push({ line, errors: parsed.errors });
    } else if (options.route) {
      const result = await receiveMql(options.prisma, {
        mql: parsed.mql,
        rawPayload: cleaned,
        config: options.config,
        now: now(),
        actor: "import:csv",
      });
      if (result.status === "created") summary.stored++;
      else summary.duplicates++;
      // Statistics (and the plans built on them) kept up with the tables as they grow, faster than autovacuum would.
      if (summary.rows % batchSize === 0) await analyzeChangedTables(options.prisma);
    } else {
      // History: the lead's own date where the file has one.
      batch.push(leadRowOf(parsed.mql, cleaned, parsed.mql.createdAt ?? now()));
      if (batch.length >= batchSize) await flush();
    }
    options.onProgress?.(summary.rows);
  };

  // Records the parser has produced but the loop has not yet taken. When the parser fails, the stream throws
  // away what it buffered; these are still imported, so everything before the broken line is.
  const parsedNotTaken: CsvRow[] = [];
  const source = fs.createReadStream(options.file);
  const parser = source.pipe(
    parse({
      columns: mqlColumns,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      // A stray quote inside an unquoted field is data (validation judges the value), not a syntax error.
      relax_quotes: true,
      // The raw text tells on which line a record spanning several lines starts.
      raw: true,
      on_record: ({ record }: { record: Record<string, string> }, context) => {
        const row = { record, line: firstLineOf(context.lines, context.raw) };
        parsedNotTaken.push(row);
        return row;
      },
    }),
  );
  // An unreadable file fails the parser, which the loop below reports; pipe() alone would leave it waiting.
  source.on("error", (error) => parser.destroy(error));
  try {
    for await (const _ of parser) await importRow(parsedNotTaken.shift() as CsvRow);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    for (const row of parsedNotTaken.splice(0)) await importRow(row);
    // A broken quoted field leaves the parser unsure where later rows begin: stop and say where rather than
    // guess (csv-parse's skip_records_with_error can silently drop the rest of the file after such an error).
    summary.stopped = {
      line: firstLineOf(Number(error.lines ?? 0), typeof error.raw === "string" ? error.raw : undefined),
      reason: error.message.replace(/\s+at line \d+.*$/s, ""),
    };
  } finally {
    source.destroy();
  }
  await flush();
  await writing;
  return summary;
}

/** The lines a person reads at the end of an import. */
export function formatImportSummary(summary: ImportSummary): string {
  const lines = [
    `${summary.rows} rows: ${summary.stored} stored, ${summary.duplicates} duplicates, ${summary.rejected.length} rejected`,
  ];
  for (const row of summary.rejected) {
    const reasons = Object.entries(row.errors).map(([field, message]) => `${field} ${message}`);
    lines.push(`  line ${row.line}: ${reasons.join("; ")}`);
  }
  if (summary.stopped) {
    lines.push(
      `Stopped at line ${summary.stopped.line}: ${summary.stopped.reason}. The rows after it were not read; fix that line and run the import again (rows already stored are skipped).`,
    );
  }
  return lines.join("\n");
}
