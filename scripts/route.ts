/**
 * npm run route -- mql.json [more.json …] [--at 2026-11-23T10:00:00Z]
 * Prints which rule, team and rep an MQL would go to and why, like the playground's routing sandbox (each file's
 * answer under its name when there are several). Nothing about the lead is stored; the database (DATABASE_URL,
 * else the embedded one) is read for the reps' current load and recent offers, after the configuration file's
 * teams are synced into it, as `npm start` does.
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

const USAGE = "usage: npm run route -- <mql.json> [more.json …] [--at <ISO time>]";

function parseArgs(args: string[]): { files: string[]; at: Date } {
  const atIndex = args.indexOf("--at");
  const atText = atIndex >= 0 ? args[atIndex + 1] : undefined;
  if (atIndex >= 0 && (!atText || Number.isNaN(Date.parse(atText)))) {
    throw new ConfigError(`--at wants an ISO time. ${USAGE}`);
  }
  const files = args.filter((arg, index) => !arg.startsWith("--") && (atIndex < 0 || index !== atIndex + 1));
  if (files.length === 0) throw new ConfigError(USAGE);
  return { files, at: atText ? new Date(atText) : new Date() };
}

function readMql(file: string): unknown {
  if (!fs.existsSync(file)) throw new ConfigError(`no such file: ${file}`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

async function main(): Promise<string> {
  const { files, at } = parseArgs(process.argv.slice(2));
  // Every file is read before the database is opened: a typo fails fast.
  const mqls = files.map((file) => ({ file, body: readMql(file) }));
  const config = parseEnv(process.env);
  const batonConfig = loadBatonConfig(resolveConfigPath(config.configFile));
  const db = await openDatabase(config.database);
  try {
    await migrateOnStartup(db, config.database);
    await syncConfigToDatabase(db.prisma, batonConfig);
    const answers: string[] = [];
    for (const { file, body } of mqls) {
      const answer = formatRoutePreview(await previewRoute(db.prisma, batonConfig, body, at));
      answers.push(mqls.length > 1 ? `${file}:\n${answer}` : answer);
    }
    return answers.join("\n\n");
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
