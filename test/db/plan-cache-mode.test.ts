/**
 * The embedded database plans cached statements (foreign-key checks, the triggers' SQL) for the tables as they are
 * now (src/db/plan-cache-mode.ts): with the default, plans cached while the tables were small scanned them whole
 * once they were not, and PGlite has no autovacuum to replace them. PostgreSQL keeps its default.
 */
import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";

describeEachDatabase("cached plans", (database) => {
  it("are planned afresh on the embedded database, left to autovacuum on PostgreSQL", async () => {
    const db = await database();
    const [row] = await db.prisma.$queryRaw<{ plan_cache_mode: string }[]>`SHOW plan_cache_mode`;
    expect(row.plan_cache_mode).toBe(db.kind === "pglite" ? "force_custom_plan" : "auto");
  });
});
