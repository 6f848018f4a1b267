/**
 * The direct path (src/db/direct-sql.ts): the root client of a PostgreSQL database sends intake's statements through
 * `pg`, named as Prisma's adapter names them; any other client goes through Prisma; both answer the same rows.
 */
import type pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { queryRows, registerDirectSql } from "../../src/db/direct-sql.ts";
import { PREPARED_MARKER, prepared, preparedStatementNames } from "../../src/db/prepared-statements.ts";
import { Prisma } from "../../src/generated/prisma/client.ts";
import { loadIntakeContext } from "../../src/intake/intake-context.ts";
import { receiveMql } from "../../src/intake/receive-mql.ts";
import { writeIntakeBatch } from "../../src/repositories/intake-batch.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { BUDGET_CONFIG, BUDGET_NOW, budgetMql } from "../support/budget-fixtures.ts";
import { createTestDatabase, describeEachDatabase, ENGINES, withPostgresAdmin } from "../support/databases.ts";

describe("queryRows", () => {
  it("sends a registered client's statement to its pool, with the statement's name, text and values", async () => {
    const query = vi.fn(async () => ({ rows: [{ id: "a" }] }));
    const $queryRaw = vi.fn();
    const client = { $queryRaw };
    registerDirectSql(client, { query } as unknown as pg.Pool, preparedStatementNames());
    const at = new Date("2026-11-26T08:00:00Z");
    const rows = await queryRows(client, prepared(Prisma.sql`SELECT id FROM "Lead" WHERE "receivedAt" < ${at}`));
    expect(rows).toEqual([{ id: "a" }]);
    expect(query).toHaveBeenCalledWith({
      name: "baton_1",
      text: `${PREPARED_MARKER} SELECT id FROM "Lead" WHERE "receivedAt" < $1`,
      values: [at],
    });
    expect($queryRaw).not.toHaveBeenCalled();
  });

  it("sends any other client's statement through Prisma", async () => {
    const $queryRaw = vi.fn(async () => [{ id: "b" }]);
    const sql = Prisma.sql`SELECT 1`;
    expect(await queryRows({ $queryRaw } as never, sql)).toEqual([{ id: "b" }]);
    expect($queryRaw).toHaveBeenCalledWith(sql);
  });
});

describeEachDatabase("the direct path and Prisma's", (database) => {
  it("answer intake's read alike: the stored key, the open lead, the routing state, dates as Dates", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    const first = await receiveMql(db.prisma, budgetMql("1"));
    expect(first).toMatchObject({ status: "created", offeredTo: "EMEA Sales" });
    await receiveMql(db.prisma, budgetMql("2"));
    const key = budgetMql("1").mql;
    const direct = await loadIntakeContext(db.prisma, key, BUDGET_NOW);
    // A transaction's client has no direct path: this read goes through Prisma.
    const throughPrisma = await db.prisma.$transaction((tx) => loadIntakeContext(tx, key, BUDGET_NOW));
    expect(direct).toEqual(throughPrisma);
    expect(direct.matches.stored?.id).toBe(first.leadId);
    expect(direct.matches.stored?.receivedAt).toBeInstanceOf(Date);
    expect([...direct.routing.teams.keys()]).toEqual(["emea"]);
  });

  it("write alike: the gated statement answers written, then not written for the same key", async () => {
    const db = await database();
    const lead = {
      id: crypto.randomUUID(),
      source: "hubspot",
      externalId: "x",
      email: "x@example.com",
      rawPayload: {},
    };
    expect(await writeIntakeBatch(db.prisma, { lead, audit: [] })).toBe(true);
    expect(await writeIntakeBatch(db.prisma, { lead: { ...lead, id: crypto.randomUUID() }, audit: [] })).toBe(false);
    expect(
      await db.prisma.$transaction((tx) =>
        writeIntakeBatch(tx, { lead: { ...lead, id: crypto.randomUUID() }, audit: [] }),
      ),
    ).toBe(false);
    const stored = await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(stored.receivedAt).toBeInstanceOf(Date);
    expect(await db.prisma.lead.count()).toBe(1);
  });
});

describe.runIf(ENGINES.includes("postgres"))("closing a PostgreSQL database", () => {
  it("closes the pool the direct path used, even when Prisma itself never connected", async () => {
    const db = await createTestDatabase("postgres");
    const name = new URL((db.migrationTarget as { databaseUrl: string }).databaseUrl).pathname.slice(1);
    const connections = () =>
      withPostgresAdmin(async (admin) => {
        const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [
          name,
        ]);
        return rows[0].n as number;
      });
    try {
      await loadIntakeContext(db.prisma, budgetMql("1").mql, BUDGET_NOW);
      expect(await connections()).toBe(1);
    } finally {
      await db.close();
    }
    await vi.waitFor(async () => expect(await connections()).toBe(0), { timeout: 5_000 });
  });
});
