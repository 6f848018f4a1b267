/**
 * Every connection Baton opens plans cached statements (foreign-key checks, the triggers' SQL) for the tables as
 * they are now (src/db/plan-cache-mode.ts): with the default, plans cached while the tables were small scanned them
 * whole once they were not.
 */
import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";

describeEachDatabase("cached plans", (database) => {
  it("are planned afresh on every connection of the pool", async () => {
    const db = await database();
    // Side by side, so that a pool opens several connections; each must have the setting.
    const modes = await Promise.all(
      Array.from({ length: 8 }, () =>
        db.prisma.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_sleep(0.05)`;
          return tx.$queryRaw<{ plan_cache_mode: string }[]>`SHOW plan_cache_mode`;
        }),
      ),
    );
    expect(modes.map(([row]) => row.plan_cache_mode)).toEqual(Array(8).fill("force_custom_plan"));
  });
});
