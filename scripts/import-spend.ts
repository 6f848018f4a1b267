/**
 * npm run import:spend -- spend.csv
 * Imports weekly marketing spend (week, channel, campaign, amount, currency) for cost per MQL and per customer.
 * Exit code 1 when any row was rejected (the good rows are stored all the same).
 */
import "dotenv/config";
import fs from "node:fs";
import { SingleBar } from "cli-progress";
import { ConfigError } from "../src/config/config-error.ts";
import { parseEnv } from "../src/config/env.ts";
import { migrateOnStartup, openDatabase } from "../src/db/database.ts";
import { AppError } from "../src/errors.ts";
import { countDataLines } from "../src/intake/import-csv.ts";
import { formatSpendImportSummary, importSpendFromCsv } from "../src/spend/import-spend-csv.ts";

const file = process.argv.slice(2).find((arg) => !arg.startsWith("--"));

async function main(): Promise<boolean> {
  if (!file) throw new ConfigError("usage: npm run import:spend -- <spend.csv>");
  if (!fs.existsSync(file)) throw new ConfigError(`no such file: ${file}`);
  const config = parseEnv(process.env);
  const db = await openDatabase(config.database);
  try {
    await migrateOnStartup(db, config.database);
    const bar = new SingleBar({
      format: "Importing spend {bar} {percentage}% | {value}/{total} rows",
      stream: process.stderr,
      hideCursor: true,
    });
    bar.start(await countDataLines(file), 0);
    const summary = await importSpendFromCsv({ prisma: db.prisma, file, onProgress: (done) => bar.update(done) });
    bar.stop();
    console.log(formatSpendImportSummary(summary));
    return summary.rejected.length === 0 && !summary.stopped;
  } finally {
    await db.close();
  }
}

// Exit after closing the database: closing the embedded one resets process.exitCode.
main().then(
  (complete) => process.exit(complete ? 0 : 1),
  (error) => {
    console.error(
      `import:spend: ${error instanceof ConfigError || error instanceof AppError ? error.message : (error as Error).stack}`,
    );
    process.exit(1);
  },
);
