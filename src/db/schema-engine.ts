/**
 * Prisma migrations without the native schema engine (it cannot be downloaded here): the WASM schema engine
 * driven through the same driver adapters the app uses. Produces and applies the standard `prisma/migrations/`
 * layout and `_prisma_migrations` table, exactly as `prisma migrate` would.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as engineGlue from "@prisma/schema-engine-wasm/schema_engine_bg";

const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const SCHEMA_PATH = path.join(projectRoot, "prisma/schema.prisma");
export const MIGRATIONS_DIR = path.join(projectRoot, "prisma/migrations");
const LOCKFILE = "migration_lock.toml";
const FILTERS = { externalTables: [], externalEnums: [] };
/** How long migrations wait for PostgreSQL to answer a connection before start-up gives up with a message. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** Where migrations run: a PostgreSQL URL, or a PGlite instance (the app's own, so the data dir is opened once). */
export type MigrationTarget = { databaseUrl: string } | { pglite: PGlite };

let wasmReady: Promise<void> | undefined;
// Instantiating the .wasm by hand avoids `import "./x.wasm"`, which needs --experimental-wasm-modules on Node 20.
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = fs.readFileSync(gluePath.replace(/\.js$/, ".wasm"));
    // @types/node 20 does not declare the WebAssembly global, though Node has it.
    const { WebAssembly: wasm } = globalThis as unknown as {
      WebAssembly: {
        instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
      };
    };
    const { instance } = await wasm.instantiate(bytes, { "./schema_engine_bg.js": engineGlue });
    engineGlue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

function readIfExists(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
}

function migrationsList(dir: string) {
  return {
    baseDir: dir,
    shadowDbInitScript: "",
    lockfile: { path: LOCKFILE, content: readIfExists(path.join(dir, LOCKFILE)) },
    migrationDirectories: (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : [])
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map((name) => {
        const sql = readIfExists(path.join(dir, name, "migration.sql"));
        const content = sql === null ? { tag: "error", value: "missing migration.sql" } : { tag: "ok", value: sql };
        return { path: name, migrationFile: { path: "migration.sql", content } };
      }),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: driver adapter objects are untyped at this seam
type Adapter = any;

// Both stock adapters' executeScript() are unfit for migrations: adapter-pg splits on ";" (breaks $$ bodies and
// ';' in strings) and runs the pieces non-atomically; pglite-prisma-adapter does not await exec() (a failing
// migration gets recorded as applied). Send the whole file as one simple query, as the native engine does.
function runScriptsWhole(adapter: Adapter, run: (sql: string) => Promise<unknown>): Adapter {
  return Object.assign(adapter, {
    executeScript: (sql: string) =>
      run(sql).then(
        () => {},
        (error: unknown) => adapter.onError(error),
      ),
  });
}

function openAdapterFactory(target: MigrationTarget) {
  const ownedPglites: PGlite[] = [];
  const adapters: Adapter[] = [];
  const connectPglite = async (db: PGlite) => {
    // Loaded here, not at the top: a server on PostgreSQL never needs PGlite (45 MiB).
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const adapter = runScriptsWhole(await new PrismaPGlite(db).connect(), (sql) => db.exec(sql));
    adapters.push(adapter);
    return adapter;
  };
  // max: 1 => advisory lock, _prisma_migrations bookkeeping and scripts all run in one session. Without a connect
  // timeout, a host that accepts but never answers (firewall, wrong port) would hang start-up with no message.
  const pg =
    "databaseUrl" in target
      ? new PrismaPg({ connectionString: target.databaseUrl, max: 1, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
      : null;
  const factory = {
    provider: "postgres",
    adapterName: pg?.adapterName ?? "@prisma/adapter-pglite",
    connect: async () => {
      if (!pg) return connectPglite((target as { pglite: PGlite }).pglite);
      const adapter = runScriptsWhole(await pg.connect(), (sql) => adapter.underlyingDriver().query(sql));
      adapters.push(adapter);
      return adapter;
    },
    // The shadow database (used to diff the migration history) is a throw-away in-memory PGlite.
    connectToShadowDb: async () => {
      const { PGlite } = await import("@electric-sql/pglite");
      const shadow = new PGlite("memory://");
      ownedPglites.push(shadow);
      return connectPglite(shadow);
    },
  };
  const close = async () => {
    // The engine never disposes adapters; an open pg pool would keep the process alive.
    for (const adapter of adapters) await adapter.dispose().catch(() => {});
    for (const db of ownedPglites) await db.close().catch(() => {});
  };
  return { factory, close };
}

async function withEngine<T>(
  target: MigrationTarget,
  // biome-ignore lint/suspicious/noExplicitAny: the WASM engine's method signatures use its own generated types
  work: (engine: any, schema: { path: string; content: string }) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const { factory, close } = openAdapterFactory(target);
  const bound = bindMigrationAwareSqlAdapterFactory(factory as never);
  const schema = { path: path.basename(SCHEMA_PATH), content: fs.readFileSync(SCHEMA_PATH, "utf8") };
  let engine: { free(): void } | undefined;
  try {
    engine = await engineGlue.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      () => {},
      bound as never,
    );
    return await work(engine, schema);
  } catch (error) {
    // Adapter errors surface as "External error id#N": look the real one up.
    const message = String((error as Error)?.message ?? error);
    const id = /External error id#(\d+)/.exec(message)?.[1];
    const inner = id ? bound.errorRegistry.consumeError(Number(id))?.error : undefined;
    // The engine's own message runs over several lines and says nothing useful: lead with the real reason.
    throw inner ? new Error((inner as Error).message ?? JSON.stringify(inner), { cause: error }) : error;
  } finally {
    engine?.free();
    await close();
  }
}

/** Applies pending migrations (under an advisory lock, so concurrent replicas apply each once). */
export async function applyMigrations(
  target: MigrationTarget,
  migrationsDir = MIGRATIONS_DIR,
): Promise<{ applied: string[] }> {
  const result = await withEngine<{ appliedMigrationNames: string[] }>(target, (engine) =>
    engine.applyMigrations({ migrationsList: migrationsList(migrationsDir), filters: FILTERS }),
  );
  return { applied: result.appliedMigrationNames as string[] };
}

/** Diffs the migration history against the schema and writes the next migration; null when nothing changed. */
export async function createMigration(name: string, migrationsDir = MIGRATIONS_DIR): Promise<string | null> {
  if (!/^\w+$/.test(name)) throw new Error(`migration name must be letters, digits and _: got "${name}"`);
  fs.mkdirSync(migrationsDir, { recursive: true });
  const lockfile = path.join(migrationsDir, LOCKFILE);
  if (!fs.existsSync(lockfile)) {
    fs.writeFileSync(
      lockfile,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const scratch = new PGlite("memory://");
  try {
    const { stdout } = await withEngine<{ stdout?: string }>({ pglite: scratch }, (engine, schema) =>
      engine.diff({
        from: { tag: "migrations", ...migrationsList(migrationsDir) },
        to: { tag: "schemaDatamodel", files: [schema] },
        script: true,
        exitCode: null,
        filters: FILTERS,
      }),
    );
    const sql = String(stdout ?? "").trim();
    if (!sql || sql === "-- This is an empty migration.") return null;
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
    return dir;
  } finally {
    await scratch.close();
  }
}

/** The engine's diagnosis of the migration history (failed, edited, pending migrations). */
export interface MigrationDiagnosis {
  history: unknown;
  failedMigrationNames: string[];
  editedMigrationNames: string[];
  hasMigrationsTable: boolean;
}

export async function diagnoseMigrations(target: MigrationTarget, migrationsDir = MIGRATIONS_DIR) {
  return withEngine<MigrationDiagnosis>(target, (engine) =>
    engine.diagnoseMigrationHistory({
      migrationsList: migrationsList(migrationsDir),
      optInToShadowDatabase: false,
      filters: FILTERS,
    }),
  );
}

/** `prisma migrate resolve`: mark a failed migration rolled back, or an applied-by-hand one applied. */
export async function resolveMigration(
  target: MigrationTarget,
  as: "applied" | "rolled-back",
  migrationName: string,
  migrationsDir = MIGRATIONS_DIR,
): Promise<void> {
  await withEngine(target, (engine) =>
    as === "applied"
      ? engine.markMigrationApplied({ migrationName, migrationsList: migrationsList(migrationsDir) })
      : engine.markMigrationRolledBack({ migrationName }),
  );
}
