/**
 * npm run import -- leads.csv [--route]
 * Backfills MQLs from a CSV into the configured database (DATABASE_URL, else the embedded one).
 * Exit code 1 when any row was rejected (the good rows are stored all the same).
 */
import "dotenv/config";
import fs from "node:fs";
import { SingleBar } from "cli-progress";
import { loadBatonConfig, resolveConfigPath } from "../src/config/baton-config.ts";
import { ConfigError } from "../src/config/config-error.ts";
import { parseEnv } from "../src/config/env.ts";
import { migrateOnStartup, openDatabase } from "../src/db/database.ts";
import { AppError } from "../src/errors.ts";
import { countDataLines, formatImportSummary, importLeadsFromCsv } from "../src/intake/import-csv.ts";
import { syncConfigToDatabase } from "../src/repositories/sync-config.ts";

const args = process.argv.slice(2);
const route = args.includes("--route");
const file = args.find((arg) => !arg.startsWith("--"));

/** True when every row was imported. */
async function main(): Promise<boolean> {
  if (!file) throw new ConfigError("usage: npm run import -- <leads.csv> [--route]");
  if (!fs.existsSync(file)) throw new ConfigError(`no such file: ${file}`);
  const config = parseEnv(process.env);
  const batonConfig = loadBatonConfig(resolveConfigPath(config.configFile));
  const db = await openDatabase(config.database);
  try {
    await migrateOnStartup(db, config.database);
    await syncConfigToDatabase(db.prisma, batonConfig);
    const bar = new SingleBar({
      format: "Importing {bar} {percentage}% | {value}/{total} rows | {eta_formatted} left",
      stream: process.stderr,
      hideCursor: true,
      // Rows are read in bursts between batch inserts: estimate from the last two batches, not the last ten rows.
      etaBuffer: 2000,
    });
    bar.start(await countDataLines(file), 0);
    const summary = await importLeadsFromCsv({
      prisma: db.prisma,
      config: batonConfig,
      file,
      route,
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    console.log(formatImportSummary(summary));
    return summary.rejected.length === 0 && !summary.stopped;
  } finally {
    await db.close();
  }
}

// The exit code is decided here, after the database is closed: closing the embedded one resets
// process.exitCode. Exiting at all also stops the connection pool's timers.
main().then(
  (complete) => process.exit(complete ? 0 : 1),
  (error) => {
    console.error(
      `import: ${error instanceof ConfigError || error instanceof AppError ? error.message : (error as Error).stack}`,
    );
    process.exit(1);
  },
);
