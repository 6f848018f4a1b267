/**
 * The backfill's bulk insert (`insertLeadsSkippingDuplicates`, one JSON parameter for a whole batch): every value
 * stored as Prisma's own `createMany` stores it, dates to the millisecond, JSON as sent, what is left out NULL or the
 * database's default; and a lead already stored, or twice in the batch, counted once and not overwritten.
 */
import { expect, it } from "vitest";
import type { Prisma } from "../../src/generated/prisma/client.ts";
import { insertLeadsSkippingDuplicates } from "../../src/repositories/leads.ts";
import { describeEachDatabase } from "../support/databases.ts";

const FULL: Prisma.LeadCreateManyInput = {
  source: "csv",
  externalId: "full-1",
  email: "zoë.o'brien@analytical.example",
  firstName: "Zoë",
  lastName: 'O\'Brien "Ob"',
  company: "Ünïcode, Ltd; 株式会社",
  companyDomain: "analytical.example",
  title: "VP\nOperations",
  phone: "+44 20 7946 0958",
  country: "GB",
  region: "EMEA",
  employees: 1554,
  industry: "Software",
  score: 87,
  campaign: "Q3 webinar",
  channel: "paid",
  notes: "back\\slash and tab\t",
  sourceCreatedAt: new Date("2026-03-04T05:06:07.891Z"),
  rawPayload: { legacyId: "extra-42", nested: { list: [1, "two", null, true] }, unicode: "✓" },
  receivedAt: new Date("2026-03-05T00:00:00.123Z"),
};

const SPARSE: Prisma.LeadCreateManyInput = {
  source: "csv",
  externalId: "sparse-1",
  email: "sparse@analytical.example",
  rawPayload: {},
  receivedAt: new Date("2026-03-06T10:00:00.000Z"),
};

/** A stored lead without what each insert makes anew (id, row times). */
function comparable(lead: Record<string, unknown>) {
  const { id: _id, createdAt: _created, updatedAt: _updated, ...rest } = lead;
  return rest;
}

describeEachDatabase("bulk insert of backfilled leads", (database) => {
  it("stores every value as createMany does, NULLs and defaults included", async () => {
    const db = await database();
    await db.prisma.lead.createMany({
      data: [
        { ...FULL, externalId: "reference-full" },
        { ...SPARSE, externalId: "reference-sparse" },
      ],
    });
    expect(await insertLeadsSkippingDuplicates(db.prisma, [FULL, SPARSE])).toBe(2);

    const byKey = async (externalId: string) =>
      db.prisma.lead.findUniqueOrThrow({
        where: { source_externalId: { source: "csv", externalId } },
      });
    const full = await byKey("full-1");
    const sparse = await byKey("sparse-1");
    expect(comparable(full)).toEqual({ ...comparable(await byKey("reference-full")), externalId: "full-1" });
    expect(comparable(sparse)).toEqual({ ...comparable(await byKey("reference-sparse")), externalId: "sparse-1" });
    // Read back exactly, not merely as createMany stored them.
    expect(full).toMatchObject({
      firstName: "Zoë",
      title: "VP\nOperations",
      sourceCreatedAt: FULL.sourceCreatedAt,
      receivedAt: FULL.receivedAt,
      rawPayload: FULL.rawPayload,
      status: "new",
    });
    expect(sparse).toMatchObject({ firstName: null, employees: null, sourceCreatedAt: null, status: "new" });
    // Ids as the schema makes them (UUIDv7: version nibble 7), distinct per row.
    expect(full.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(full.id).not.toBe(sparse.id);
    expect(full.updatedAt.getTime()).toBe(full.createdAt.getTime());
  });

  it("skips a lead already stored and a repeat within the batch, and counts only the new", async () => {
    const db = await database();
    expect(await insertLeadsSkippingDuplicates(db.prisma, [FULL])).toBe(1);
    const changed = { ...FULL, firstName: "Changed" };
    const fresh = { ...SPARSE, externalId: "fresh" };
    expect(
      await insertLeadsSkippingDuplicates(db.prisma, [changed, fresh, { ...fresh, email: "again@x.example" }]),
    ).toBe(1);
    expect(await db.prisma.lead.count()).toBe(2);
    const kept = await db.prisma.lead.findUniqueOrThrow({
      where: { source_externalId: { source: "csv", externalId: "full-1" } },
    });
    expect(kept.firstName).toBe("Zoë");
    const freshStored = await db.prisma.lead.findUniqueOrThrow({
      where: { source_externalId: { source: "csv", externalId: "fresh" } },
    });
    expect(freshStored.email).toBe("sparse@analytical.example");
    expect(await insertLeadsSkippingDuplicates(db.prisma, [])).toBe(0);
  });
});
