import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMigration, MIGRATIONS_DIR } from "../../src/db/schema-engine.ts";

// A copy of the migration history, so that a wrongly written migration can never land in the repository.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "baton-migrations-"));
fs.cpSync(MIGRATIONS_DIR, scratch, { recursive: true });
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const listing = (dir: string) => fs.readdirSync(dir).sort();

describe("createMigration (npm run db:new)", () => {
  it("writes nothing when the schema matches the committed migrations", async () => {
    const before = listing(scratch);
    expect(await createMigration("nothing_changed", scratch)).toBeNull();
    expect(listing(scratch)).toEqual(before);
  });

  it("refuses a name that would not make a tidy folder", async () => {
    await expect(createMigration("add leads!", scratch)).rejects.toThrow(/letters, digits and _/);
  });
});
