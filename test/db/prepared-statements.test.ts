/**
 * Intake's read and write run as named prepared statements on PostgreSQL (parsed and planned once per
 * connection), and nothing else is named: the set of named texts stays bounded.
 */
import { describe, expect, it } from "vitest";
import { MAX_NAMED_TEXTS, PREPARED_MARKER, preparedStatementNames } from "../../src/db/prepared-statements.ts";
import { loadIntakeContext } from "../../src/intake/intake-context.ts";
import { receiveMql } from "../../src/intake/receive-mql.ts";
import { writeIntakeBatch } from "../../src/repositories/intake-batch.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { BUDGET_CONFIG, BUDGET_NOW, budgetMql } from "../support/budget-fixtures.ts";
import { describeEachDatabase } from "../support/databases.ts";

describe("preparedStatementNames", () => {
  it("names marked texts, the same text the same name; leaves the rest unnamed", () => {
    const nameOf = preparedStatementNames();
    const read = `${PREPARED_MARKER} SELECT 1`;
    const write = `${PREPARED_MARKER} WITH gate AS (SELECT 1) SELECT 2`;
    expect(nameOf({ sql: read })).toBe("baton_1");
    expect(nameOf({ sql: write })).toBe("baton_2");
    expect(nameOf({ sql: read })).toBe("baton_1");
    expect(nameOf({ sql: 'SELECT "id" FROM "Lead" WHERE "id" = $1' })).toBeUndefined();
    expect(nameOf({ sql: ` ${read}` })).toBeUndefined();
  });

  it("names at most the limit of distinct texts; later texts run unnamed, earlier ones keep their names", () => {
    const nameOf = preparedStatementNames(2);
    expect(nameOf({ sql: `${PREPARED_MARKER} SELECT 1` })).toBe("baton_1");
    expect(nameOf({ sql: `${PREPARED_MARKER} SELECT 2` })).toBe("baton_2");
    expect(nameOf({ sql: `${PREPARED_MARKER} SELECT 3` })).toBeUndefined();
    expect(nameOf({ sql: `${PREPARED_MARKER} SELECT 1` })).toBe("baton_1");
    expect(MAX_NAMED_TEXTS).toBe(64);
  });
});

describeEachDatabase("intake's statements", (database, engine) => {
  it.runIf(engine === "postgres")(
    "are prepared once per connection on PostgreSQL: the read and the write, reused by the next MQL",
    async () => {
      const db = await database();
      await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
      // pg_prepared_statements lists the current session's statements: one transaction pins one connection.
      const prepared = await db.prisma.$transaction(async (tx) => {
        const list = () =>
          tx.$queryRaw<{ name: string; statement: string }[]>`
            SELECT name, statement FROM pg_prepared_statements ORDER BY name`;
        const before = await list();
        await loadIntakeContext(tx, budgetMql("1").mql, BUDGET_NOW);
        await loadIntakeContext(tx, budgetMql("2").mql, BUDGET_NOW);
        await writeIntakeBatch(tx, {
          lead: { id: crypto.randomUUID(), source: "hubspot", externalId: "x", email: "x@example.com", rawPayload: {} },
          audit: [],
        });
        return { before, after: await list() };
      });
      expect(prepared.before).toEqual([]);
      expect(prepared.after).toHaveLength(2);
      const statements = prepared.after.map(({ statement }) => statement.replace(/\s+/g, " "));
      expect(statements.every((statement) => statement.startsWith(PREPARED_MARKER))).toBe(true);
      expect(statements.some((statement) => statement.includes('FROM "RepOfferDay"'))).toBe(true);
      expect(statements.some((statement) => statement.includes('INSERT INTO "Lead"'))).toBe(true);
    },
  );

  it("give the same answers once prepared: a hundred MQLs, each routed, then each a duplicate", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    const created = [];
    for (let i = 0; i < 100; i++) created.push(await receiveMql(db.prisma, budgetMql(String(i))));
    expect(created.every(({ status, offeredTo }) => status === "created" && offeredTo === "EMEA Sales")).toBe(true);
    for (let i = 0; i < 100; i++) {
      expect(await receiveMql(db.prisma, budgetMql(String(i)))).toEqual({
        leadId: created[i].leadId,
        status: "duplicate",
      });
    }
    expect(await db.prisma.lead.count()).toBe(100);
    expect(await db.prisma.offer.count()).toBe(100);
  });
});
