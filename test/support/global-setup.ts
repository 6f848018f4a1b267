/**
 * Runs once per `vitest run`, before any worker starts: migrates one in-memory PGlite and dumps its data
 * directory, so that workers load a migrated database instead of each booting the schema engine and migrating.
 * The dump is cached under node_modules/.cache keyed by the migrations and the PGlite version: a later run with
 * the same migrations skips even this one migration.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { applyMigrations, MIGRATIONS_DIR } from "../../src/db/schema-engine.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of a PGlite data-directory dump (tar) with every migration applied. */
    migratedPgliteDump: string;
  }
}

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const CACHE_DIR = path.join(REPO_ROOT, "node_modules/.cache/baton-test");

function dumpKey(): string {
  const pglitePackage = path.join(REPO_ROOT, "node_modules/@electric-sql/pglite/package.json");
  const hash = createHash("sha256").update(fs.readFileSync(pglitePackage));
  for (const entry of fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    hash.update(entry.name).update(fs.readFileSync(path.join(MIGRATIONS_DIR, entry.name, "migration.sql")));
  }
  return hash.digest("hex").slice(0, 16);
}

export async function buildMigratedPgliteDump(): Promise<string> {
  const file = path.join(CACHE_DIR, `pglite-migrated-${dumpKey()}.tar`);
  if (fs.existsSync(file)) return file;
  const pglite = await PGlite.create("memory://");
  try {
    await applyMigrations({ pglite });
    const dump = await pglite.dumpDataDir("none");
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed: a run interrupted mid-write must not leave a truncated dump for the next one.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  } finally {
    await pglite.close();
  }
  return file;
}

export default async function setup(project: TestProject) {
  project.provide("migratedPgliteDump", await buildMigratedPgliteDump());
}
