/**
 * CSV backfill of MQLs. Columns are the generic MQL's field names (source, externalId, email, firstName, …);
 * other columns are kept in the raw payload. Good rows are stored, bad rows reported with their line number,
 * and a re-run stores nothing twice (same idempotency key as the webhook: source + externalId).
 *
 * Backfilled leads are history: they are stored as `new` without posting a card each, unless `route` is set,
 * which routes and offers every newly stored lead exactly as the webhook does.
 */
import fs from "node:fs";
import { parse } from "csv-parse";
import type { BatonConfig } from "../config/baton-config.ts";
import { companyDomainOf, parseMql } from "../domain/leads/mql.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { receiveMql } from "./receive-mql.ts";

export interface ImportSummary {
  rows: number;
  stored: number;
  duplicates: number;
  rejected: { line: number; errors: Record<string, string> }[];
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
  const batchSize = options.batchSize ?? 500;
  const summary: ImportSummary = { rows: 0, stored: 0, duplicates: 0, rejected: [] };
  let batch: Prisma.LeadCreateManyInput[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const { count } = await options.prisma.lead.createMany({ data: batch, skipDuplicates: true });
    summary.stored += count;
    summary.duplicates += batch.length - count;
    batch = [];
  };

  const parser = fs.createReadStream(options.file).pipe(
    parse({
      columns: (header: string[]) => header.map((name) => name.trim()),
      info: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    summary.rows++;
    const cleaned = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ""));
    const parsed = parseMql(cleaned);
    if (!parsed.ok) {
      summary.rejected.push({ line: info.lines, errors: parsed.errors });
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
    } else {
      const mql = parsed.mql;
      batch.push({
        source: mql.source,
        externalId: mql.externalId,
        email: mql.email,
        firstName: mql.firstName,
        lastName: mql.lastName,
        company: mql.company,
        companyDomain: companyDomainOf(mql.email, mql.website),
        title: mql.title,
        phone: mql.phone,
        country: mql.country,
        region: mql.region,
        employees: mql.employees,
        industry: mql.industry,
        score: mql.score,
        campaign: mql.campaign,
        channel: mql.channel,
        notes: mql.notes,
        sourceCreatedAt: mql.createdAt,
        rawPayload: cleaned,
        receivedAt: mql.createdAt ?? now(),
      });
      if (batch.length >= batchSize) await flush();
    }
    options.onProgress?.(summary.rows);
  }
  await flush();
  return summary;
}

/** The lines a person reads at the end of an import. */
export function formatImportSummary(summary: ImportSummary): string {
  const lines = [
    `${summary.rows} rows: ${summary.stored} stored, ${summary.duplicates} already there, ${summary.rejected.length} rejected`,
  ];
  for (const row of summary.rejected) {
    const reasons = Object.entries(row.errors).map(([field, message]) => `${field} ${message}`);
    lines.push(`  line ${row.line}: ${reasons.join("; ")}`);
  }
  return lines.join("\n");
}
