/**
 * npm run route -- mql.json [--at 2026-11-23T10:00:00Z]
 * Prints which rule, team and rep an MQL would go to and why, like the playground's routing sandbox. Nothing about
 * the lead is stored; the database (DATABASE_URL, else the embedded one) is read for the reps' current load and
 * recent offers, after the configuration file's teams are synced into it, as `npm start` does.
 */
import "dotenv/config";
import fs from "node:fs";
import { loadBatonConfig, resolveConfigPath } from "../src/config/baton-config.ts";
import { ConfigError } from "../src/config/config-error.ts";
import { parseEnv } from "../src/config/env.ts";
import { migrateOnStartup, openDatabase } from "../src/db/database.ts";
import { AppError } from "../src/errors.ts";
import { formatRoutePreview, previewRoute } from "../src/intake/preview-route.ts";
import { syncConfigToDatabase } from "../src/repositories/sync-config.ts";

const USAGE = "usage: npm run route -- <mql.json> [--at <ISO time>]";

function parseArgs(args: string[]): { file: string; at: Date } {
  const atIndex = args.indexOf("--at");
  const atText = atIndex >= 0 ? args[atIndex + 1] : undefined;
  if (atIndex >= 0 && (!atText || Number.isNaN(Date.parse(atText))))
    throw new ConfigError(`--at wants an ISO time. ${USAGE}`);
  const file = args.find((arg, index) => !arg.startsWith("--") && index !== atIndex + 1);
  if (!file) throw new ConfigError(USAGE);
  return { file, at: atText ? new Date(atText) : new Date() };
}

async function main(): Promise<string> {
  const { file, at } = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(file)) throw new ConfigError(`no such file: ${file}`);
  let body: unknown;
  try {
    body = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const config = parseEnv(process.env);
  const batonConfig = loadBatonConfig(resolveConfigPath(config.configFile));
  const db = await openDatabase(config.database);
  try {
    await migrateOnStartup(db, config.database);
    await syncConfigToDatabase(db.prisma, batonConfig);
    return formatRoutePreview(await previewRoute(db.prisma, batonConfig, body, at));
  } finally {
    await db.close();
  }
}

// Exit codes are set after the database is closed: closing the embedded one resets process.exitCode.
main().then(
  (answer) => {
    process.stdout.write(`${answer}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(
      `route: ${error instanceof ConfigError || error instanceof AppError ? error.message : (error as Error).stack}\n`,
    );
    process.exit(1);
  },
);
