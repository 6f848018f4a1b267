import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseSpendRow } from "../../src/domain/kpi/marketing-spend.ts";
import { formatSpendImportSummary, importSpendFromCsv } from "../../src/spend/import-spend-csv.ts";
import { describeEachDatabase } from "../support/databases.ts";

function csvFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-spend-"));
  const file = path.join(dir, "spend.csv");
  fs.writeFileSync(file, text);
  return file;
}

describe("parseSpendRow", () => {
  it("takes any day as its week (from Monday), drops thousands separators, defaults the currency", () => {
    expect(parseSpendRow({ week: "2026-11-19", channel: "paid-search", amount: "1,200.50" })).toEqual({
      ok: true,
      row: { week: "2026-11-16", channel: "paid-search", campaign: "", amount: 1200.5, currency: "USD" },
    });
  });
  it("names every bad field", () => {
    expect(parseSpendRow({ week: "2026-02-30", channel: "", amount: "-5", currency: "euro" })).toEqual({
      ok: false,
      errors: {
        week: "must be a date like 2026-11-16",
        channel: "is required",
        amount: "must be an amount like 1200.50, not negative",
        currency: "must be a three-letter ISO currency code",
      },
    });
  });
});

describeEachDatabase("importSpendFromCsv", (database) => {
  it("stores good rows, names bad ones by line, and replaces a week's amount on re-import", async () => {
    const { prisma } = await database();
    const file = csvFile(
      [
        "Week Start,Channel,Campaign,Spend,Currency",
        "2026-11-16,paid-search,Q4 webinar,1200,usd",
        "2026-11-16,events,,800.25,",
        "",
        "2026-11-99,events,,10,USD",
        "2026-11-23,social,,abc,USD",
      ].join("\n"),
    );
    const progress: number[] = [];
    const summary = await importSpendFromCsv({ prisma, file, onProgress: (done) => progress.push(done) });
    expect(summary).toEqual({
      rows: 4,
      stored: 2,
      rejected: [
        { line: 5, errors: { week: "must be a date like 2026-11-16" } },
        { line: 6, errors: { amount: "must be an amount like 1200.50, not negative" } },
      ],
    });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(formatSpendImportSummary(summary)).toBe(
      [
        "4 rows: 2 stored, 2 rejected",
        "  line 5: week must be a date like 2026-11-16",
        "  line 6: amount must be an amount like 1200.50, not negative",
      ].join("\n"),
    );

    await importSpendFromCsv({
      prisma,
      file: csvFile("week,channel,campaign,amount\n2026-11-18,paid-search,Q4 webinar,1500\n"),
    });
    const rows = await prisma.marketingSpend.findMany({ orderBy: { channel: "asc" } });
    expect(
      rows.map((row) => [
        row.weekStart.toISOString().slice(0, 10),
        row.channel,
        row.campaign,
        row.amount.toString(),
        row.currency,
      ]),
    ).toEqual([
      ["2026-11-16", "events", "", "800.25", "USD"],
      ["2026-11-16", "paid-search", "Q4 webinar", "1500", "USD"],
    ]);
  });

  it("refuses a file without the required columns before storing anything", async () => {
    const { prisma } = await database();
    await expect(importSpendFromCsv({ prisma, file: csvFile("week,cost\n2026-11-16,10\n") })).rejects.toThrow(
      "the header (line 1) has no channel column; found: week, cost",
    );
    expect(await prisma.marketingSpend.count()).toBe(0);
  });
});
