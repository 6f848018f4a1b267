import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import { countDataLines, formatImportSummary, importLeadsFromCsv } from "../../src/intake/import-csv.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase, ENGINES } from "../support/databases.ts";
import { prepareTestDatabases } from "./intake-support.ts";

const config = loadBatonConfig(EXAMPLE_CONFIG_PATH);

function writeCsv(name: string, lines: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "baton-import-")), name);
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

prepareTestDatabases(ENGINES);

describeEachDatabase("CSV import", (database) => {
  // Generous time limit: 20,000 inserts on an embedded database share two cores with other suites.
  it("imports 10,000 rows with progress and stores nothing twice on a re-run", { timeout: 180_000 }, async () => {
    const { prisma } = await database();
    const rows = Array.from(
      { length: 10_000 },
      (_, i) =>
        `hubspot,ext-${i},person${i}@corp${i % 300}.example,First${i},"Corp ${i % 300}, Ltd",GB,EMEA,${(i * 37) % 5000},${i % 100},extra-${i}`,
    );
    const file = writeCsv("leads.csv", [
      "source,externalId,email,firstName,company,country,region,employees,score,legacyId",
      ...rows,
    ]);
    expect(await countDataLines(file)).toBe(10_000);

    const progress: number[] = [];
    const summary = await importLeadsFromCsv({ prisma, config, file, onProgress: (done) => progress.push(done) });
    expect(summary).toEqual({ rows: 10_000, stored: 10_000, duplicates: 0, rejected: [] });
    expect(progress.at(-1)).toBe(10_000);
    expect(formatImportSummary(summary)).toBe("10000 rows: 10000 stored, 0 duplicates, 0 rejected");
    expect(await prisma.lead.count()).toBe(10_000);
    const sample = await prisma.lead.findUniqueOrThrow({
      where: { source_externalId: { source: "hubspot", externalId: "ext-42" } },
    });
    expect(sample).toMatchObject({ company: "Corp 42, Ltd", employees: 1554, status: "new" });
    expect(sample.rawPayload).toMatchObject({ legacyId: "extra-42" });

    const again = await importLeadsFromCsv({ prisma, config, file });
    expect(again).toEqual({ rows: 10_000, stored: 0, duplicates: 10_000, rejected: [] });
    expect(await prisma.lead.count()).toBe(10_000);
  });

  it("reports the line numbers of bad rows and stores the good ones", async () => {
    const { prisma } = await database();
    const file = writeCsv("mixed.csv", [
      "source,externalId,email,firstName",
      "hubspot,1,a@x.example,A",
      "hubspot,2,not-an-email,B",
      'hubspot,3,c@x.example,"Multi',
      'line name"',
      ",4,d@x.example,D",
      "hubspot,5,e@x.example,E",
      "hubspot,,f@x.example,F",
    ]);
    const summary = await importLeadsFromCsv({ prisma, config, file });
    expect(summary.rejected).toEqual([
      { line: 3, errors: { email: "must be an email address" } },
      { line: 6, errors: { source: "is required" } },
      { line: 8, errors: { externalId: "is required" } },
    ]);
    expect(summary.stored).toBe(3);
    expect(formatImportSummary(summary)).toContain("line 6: source is required");
    expect(await prisma.lead.count()).toBe(3);
  });

  it("takes a stray quote as data, and stops at a broken quoted field saying where", async () => {
    const { prisma } = await database();
    const file = writeCsv("quotes.csv", [
      "source,externalId,email,notes",
      "hubspot,1,a@x.example,fine",
      'hubspot,2,b"@x.example,stray quote',
      'hubspot,3,c@x.example,6" display',
      'hubspot,4,d@x.example,"spans',
      'two lines" then more',
      "hubspot,5,e@x.example,never read",
    ]);
    const summary = await importLeadsFromCsv({ prisma, config, file });
    expect(summary).toEqual({
      rows: 3,
      stored: 2,
      duplicates: 0,
      rejected: [{ line: 3, errors: { email: "must be an email address" } }],
      stopped: { line: 5, reason: expect.stringMatching(/^Invalid Closing Quote/) },
    });
    expect(formatImportSummary(summary)).toContain("Stopped at line 5: Invalid Closing Quote");
    expect((await prisma.lead.findMany({ orderBy: { externalId: "asc" } })).map((lead) => lead.notes)).toEqual([
      "fine",
      '6" display',
    ]);
  });

  it("reads headers however they are spelled, and refuses a file without the required columns", async () => {
    const { prisma } = await database();
    const spelled = writeCsv("spelled.csv", [
      "Source,External ID,E-mail,first_name,Employees",
      "HubSpot,9,Z@X.example,Zoe,40",
    ]);
    expect(await importLeadsFromCsv({ prisma, config, file: spelled })).toMatchObject({ stored: 1, rejected: [] });
    expect(await prisma.lead.findFirstOrThrow()).toMatchObject({
      source: "hubspot",
      externalId: "9",
      email: "z@x.example",
      firstName: "Zoe",
      employees: 40,
    });

    const noEmail = writeCsv("no-email.csv", ["source,id,mail", "hubspot,1,a@x.example"]);
    await expect(importLeadsFromCsv({ prisma, config, file: noEmail })).rejects.toThrow(
      "the header (line 1) has no externalId, email columns; found: source, id, mail",
    );
    expect(await prisma.lead.count()).toBe(1);
  });

  it("routes and offers each new lead with --route", async () => {
    const { prisma } = await database();
    await syncConfigToDatabase(prisma, config);
    const file = writeCsv("route.csv", [
      "source,externalId,email,region,employees",
      "hubspot,r1,r1@corp.example,EMEA,300",
      "hubspot,r2,r2@corp.example,APAC,10",
    ]);
    const summary = await importLeadsFromCsv({ prisma, config, file, route: true });
    expect(summary).toMatchObject({ stored: 2, duplicates: 0 });
    const offers = await prisma.offer.findMany({ include: { lead: true }, orderBy: { createdAt: "asc" } });
    expect(offers.map((offer) => [offer.lead.externalId, offer.teamId])).toEqual([
      ["r1", "emea-sales"],
      ["r2", "inside-sales"],
    ]);
    expect(await prisma.outboxMessage.count()).toBe(2);
  });
});

it("fails for a file that cannot be read, instead of waiting", async () => {
  const prisma = {} as Parameters<typeof importLeadsFromCsv>[0]["prisma"];
  await expect(importLeadsFromCsv({ prisma, config, file: "/nonexistent/leads.csv" })).rejects.toThrow(/ENOENT/);
});

it("fails when a batch cannot be written, with the database's error, while the next batch is being read", async () => {
  const lines = Array.from({ length: 25 }, (_, i) => `csv,w-${i},p${i}@corp.example`);
  const file = writeCsv("leads.csv", ["source,externalId,email", ...lines]);
  const written: number[] = [];
  // The second batch's write fails while the third is read; nothing must go unhandled, and the import must say so.
  const prisma = {
    $executeRaw: async (...args: unknown[]) => {
      written.push(args.length);
      if (written.length === 2) throw new Error("connection lost");
      return 10;
    },
  } as unknown as Parameters<typeof importLeadsFromCsv>[0]["prisma"];
  await expect(importLeadsFromCsv({ prisma, config, file, batchSize: 10 })).rejects.toThrow("connection lost");
  expect(written).toHaveLength(2);
});
