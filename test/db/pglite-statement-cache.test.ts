/**
 * The embedded database's statement cache (src/db/pglite-statement-cache.ts): a parameterised text runs prepared
 * from its second run (at once when marked), answers exactly what PGlite's own `query()` answers, keeps to its
 * bound, survives its statements being dropped behind its back, and keeps PGlite's locking (a query never runs inside
 * someone else's transaction).
 */
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withStatementCache } from "../../src/db/pglite-statement-cache.ts";
import { PREPARED_MARKER } from "../../src/db/prepared-statements.ts";

let pglite: PGlite;

beforeAll(async () => {
  pglite = await PGlite.create();
});

afterAll(async () => {
  await pglite.close();
});

beforeEach(async () => {
  // One session for the file (booting PGlite takes seconds): each test starts with no statements and a new table.
  await pglite.exec(`
    DEALLOCATE ALL;
    DROP TABLE IF EXISTS item;
    CREATE TABLE item (
      id int PRIMARY KEY,
      name text NOT NULL,
      tags text[],
      details jsonb,
      at timestamptz,
      price numeric(10, 2),
      data bytea
    );
    INSERT INTO item VALUES
      (1, 'one', '{a,b}', '{"n": 1}', '2026-11-26T08:00:00Z', 12.50, '\\x0102'),
      (2, 'two', NULL, NULL, NULL, NULL, NULL);
  `);
});

async function preparedTexts(): Promise<string[]> {
  const { rows } = await pglite.query<{ statement: string }>(
    "SELECT statement FROM pg_prepared_statements ORDER BY prepare_time",
  );
  return rows.map((row) => row.statement);
}

const SELECT_ITEM = "SELECT id, name, tags, details, at, price, data FROM item WHERE id = $1 OR name = $2 ORDER BY id";

describe("withStatementCache", () => {
  it("answers what PGlite's query() answers on every run, in object and array row modes", async () => {
    const cached = withStatementCache(pglite);
    const expected = await pglite.query(SELECT_ITEM, [1, "two"]);
    const expectedArrays = await pglite.query(SELECT_ITEM, [1, "two"], { rowMode: "array" });
    expect(expected.rows).toHaveLength(2);
    for (let run = 0; run < 3; run++) {
      expect(await cached.query(SELECT_ITEM, [1, "two"])).toEqual(expected);
      expect(await cached.query(SELECT_ITEM, [1, "two"], { rowMode: "array" })).toEqual(expectedArrays);
    }
    // Parameters of other types, and nulls, go in as PGlite's own serializers send them.
    const insert = "INSERT INTO item (id, name, tags, details, at, price) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *";
    const at = new Date("2026-11-26T09:30:00.123Z");
    const inserted = [];
    for (const id of [3, 4, 5]) {
      inserted.push(
        (await cached.query(insert, [id, `n${id}`, ["x", "y"], { deep: [id] }, at, id === 4 ? null : 9.99])).rows[0],
      );
    }
    expect(inserted[2]).toEqual({
      id: 5,
      name: "n5",
      tags: ["x", "y"],
      details: { deep: [5] },
      at,
      price: "9.99",
      data: null,
    });
    expect(inserted[1]).toMatchObject({ id: 4, price: null });
    expect((await cached.query("UPDATE item SET name = $1 WHERE id > $2", ["many", 2])).affectedRows).toBe(3);
    expect((await cached.query("UPDATE item SET name = $1 WHERE id > $2", ["many", 2])).affectedRows).toBe(3);
  });

  it("prepares a text on its second run, a marked text on its first, and never a text without parameters", async () => {
    const cached = withStatementCache(pglite);
    await cached.query(SELECT_ITEM, [1, "x"]);
    expect(await preparedTexts()).toEqual([]);
    await cached.query(SELECT_ITEM, [2, "x"]);
    expect(await preparedTexts()).toEqual([SELECT_ITEM]);
    const marked = `${PREPARED_MARKER} SELECT name FROM item WHERE id = $1`;
    await cached.query(marked, [1]);
    expect(await preparedTexts()).toEqual([SELECT_ITEM, marked]);
    await cached.query("SELECT count(*) FROM item");
    await cached.query("SELECT count(*) FROM item");
    expect(await preparedTexts()).toHaveLength(2);
  });

  it("keeps at most its bound of statements, closing the least recently used", async () => {
    const cached = withStatementCache(pglite, 2);
    const texts = [1, 2, 3].map((n) => `SELECT name FROM item WHERE id = $1 AND ${n} = ${n}`);
    for (const text of [texts[0], texts[0], texts[1], texts[1], texts[0], texts[2], texts[2]]) {
      expect((await cached.query<{ name: string }>(text, [1])).rows).toEqual([{ name: "one" }]);
    }
    // texts[1] was used least recently when texts[2] needed room.
    expect((await preparedTexts()).sort()).toEqual([texts[0], texts[2]].sort());
  });

  it("runs a statement again unprepared when the session lost it, and prepares it anew", async () => {
    const cached = withStatementCache(pglite);
    await cached.query(SELECT_ITEM, [1, "x"]);
    await cached.query(SELECT_ITEM, [1, "x"]);
    await pglite.exec("DEALLOCATE ALL");
    expect((await cached.query<{ id: number }>(SELECT_ITEM, [1, "x"])).rows.map((row) => row.id)).toEqual([1]);
    await cached.query(SELECT_ITEM, [1, "x"]);
    expect(await preparedTexts()).toEqual([SELECT_ITEM]);
  });

  it("reports a failed statement as PGlite does and leaves the session usable", async () => {
    const cached = withStatementCache(pglite);
    const insert = "INSERT INTO item (id, name) VALUES ($1, $2)";
    await cached.query(insert, [10, "ten"]);
    await cached.query(insert, [11, "eleven"]);
    await expect(cached.query(insert, [10, "again"])).rejects.toMatchObject({ code: "23505" });
    await expect(cached.query(insert, [12, null])).rejects.toMatchObject({ code: "23502" });
    expect(
      (await cached.query<{ n: number }>("SELECT count(*)::int AS n FROM item WHERE id >= $1", [10])).rows,
    ).toEqual([{ n: 2 }]);
  });

  it("runs prepared inside a transaction, which commits or rolls back as a whole", async () => {
    const cached = withStatementCache(pglite);
    const insert = "INSERT INTO item (id, name) VALUES ($1, $2)";
    await cached.transaction(async (tx) => {
      for (const id of [20, 21, 22]) await tx.query(insert, [id, `n${id}`]);
    });
    await expect(
      cached.transaction(async (tx) => {
        await tx.query(insert, [23, "n23"]);
        await tx.query(insert, [20, "duplicate"]);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    const { rows } = await cached.query<{ id: number }>("SELECT id FROM item WHERE id >= $1 ORDER BY id", [20]);
    expect(rows.map((row) => row.id)).toEqual([20, 21, 22]);
    expect(await preparedTexts()).toContain(insert);
  });

  it("waits for another transaction to end instead of running inside it", async () => {
    const cached = withStatementCache(pglite);
    const count = "SELECT count(*)::int AS n FROM item WHERE id >= $1";
    await cached.query(count, [30]);
    await cached.query(count, [30]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted!: () => void;
    const insertDone = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const transaction = cached.transaction(async (tx) => {
      await tx.query("INSERT INTO item (id, name) VALUES ($1, $2)", [30, "thirty"]);
      inserted();
      await held;
      await tx.rollback();
    });
    await insertDone;
    // Issued while the transaction holds its insert: run inside it, it would count the insert.
    const counted = cached.query<{ n: number }>(count, [30]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await transaction;
    expect((await counted).rows).toEqual([{ n: 0 }]);
  });
});
