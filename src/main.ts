/** `npm start`: configuration, database (migrated), HTTP server and jobs; SIGTERM/SIGINT stop it cleanly. */
import "dotenv/config";
import { createInterface } from "node:readline";
import v8 from "node:v8";
import { createBaton } from "./app.ts";
import { loadBatonConfig, resolveConfigPath } from "./config/baton-config.ts";
import { ConfigError } from "./config/config-error.ts";
import { parseEnv } from "./config/env.ts";
import { CONSOLE_HELP, runConsoleCommand } from "./console/console-commands.ts";
import { type Database, migrateOnStartup, openDatabase } from "./db/database.ts";
import { listen } from "./http/server.ts";
import { createLogger } from "./logger.ts";

async function main() {
  const config = parseEnv(process.env);
  const configPath = resolveConfigPath(config.configFile);
  const batonConfig = loadBatonConfig(configPath);
  const logger = createLogger(config.logLevel, undefined, { pretty: Boolean(process.stdout.isTTY) });

  let db: Database | undefined;
  try {
    db = await openDatabase(config.database);
    const applied = await migrateOnStartup(db, config.database);
    logger.info(
      { database: db.kind, applied: applied.length ? applied : undefined },
      applied.length ? "migrations applied" : "database schema up to date",
    );
    if (batonConfig.notYetActedOn.length > 0) {
      logger.warn(
        { keys: batonConfig.notYetActedOn, config: configPath },
        "configuration keys this version of Baton does not act on yet",
      );
    }
    const baton = await createBaton({ config, batonConfig, configPath, db, logger });
    const server = await listen(baton.app, config.port);
    baton.startJobs();
    collectStartupGarbage();
    tuneOldGenerationGrowth(db.kind);
    const slackMode = config.slack?.mode;
    logger.info(
      { port: server.port, config: configPath, localMode: config.localMode, database: db.kind, slack: slackMode },
      config.localMode
        ? `Baton is listening on http://localhost:${server.port} in local mode: cards are printed here`
        : `Baton is listening on port ${server.port}${slackMode === "socket" ? "; Slack in Socket Mode: it connects out to Slack, nothing is served at /slack/events" : ""}`,
    );
    if (baton.playground) {
      logger.info(`Playground: open http://localhost:${server.port}/ in a browser (this machine only)`);
    }

    if (config.localMode && process.stdin.isTTY) {
      // Local mode: type what you would click in Slack or Teams (`help` lists the commands).
      const prompt = createInterface({ input: process.stdin, output: process.stdout });
      prompt.on("line", (line) => {
        if (!line.trim()) return;
        runConsoleCommand(baton.handoff, line, baton.answerCommand).then(
          (answer) => process.stdout.write(`${answer}\n`),
          (error) => logger.error({ err: error }, "console command failed"),
        );
      });
      process.stdout.write(`${CONSOLE_HELP}\n`);
    }

    let stopping = false;
    const stop = async (signal: string, exitCode = 0) => {
      if (stopping) return;
      stopping = true;
      // Drain first: /readyz turns 503 so a load balancer stops sending work here, and the deliveries and job runs
      // in flight finish while requests are still answered. Then the server stops, and one last outbox pass sends
      // what the last requests queued.
      logger.info({ signal }, "shutting down: draining (readyz 503), finishing in-flight deliveries and requests");
      await baton.drain();
      await baton.disconnectChat();
      baton.playground?.close();
      await server.close();
      await baton.stopJobs();
      await db?.close();
      logger.info("stopped");
      process.exit(exitCode);
    };
    // Not awaited: webhooks and the outbox work while Slack is still being reached. A refused token stops Baton.
    baton.connectChat().catch(async (error) => {
      process.stderr.write(`baton: ${error instanceof ConfigError ? error.message : (error?.stack ?? error)}\n`);
      await stop("refused chat credentials", 1);
    });
    process.on("SIGHUP", () => void baton.reloadConfigFromFile());
    process.on("SIGTERM", () => void stop("SIGTERM"));
    process.on("SIGINT", () => void stop("SIGINT"));
  } catch (error) {
    await db?.close().catch(() => {});
    throw error;
  }
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`baton: ${error.message}\n`);
  } else if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
    process.stderr.write(`baton: PORT: ${(error as NodeJS.ErrnoException).message}\n`);
  } else {
    process.stderr.write(`baton: failed to start: ${(error as Error)?.stack ?? error}\n`);
  }
  process.exit(1);
});

/**
 * On PostgreSQL, let V8's old generation grow to 2.5 times what is live before a full collection (V8 picks about
 * 1.5 on its own here). At a couple of hundred MQL/s about a quarter of what a request allocates outlives the young
 * generation, and every full collection (its marking thread on a second core beside PostgreSQL, then a pause) made
 * a burst of slow answers: half as many collections took intake's p99 at 200 MQL/s from 45–60 ms to 26–43 ms, at
 * some 50 MiB more memory under load and none when idle (bench/README.md). Not on the embedded database, whose
 * larger heap would grow by more for less: it serves tens of MQL/s, not hundreds. V8 reads this flag at each
 * collection, so setting it now, after start-up's allocations, takes effect from here on.
 */
function tuneOldGenerationGrowth(kind: Database["kind"]) {
  if (kind === "postgres") v8.setFlagsFromString("--heap-growing-percent=150");
}

/**
 * One full garbage collection just after start-up, when Node runs with `--expose-gc` (as `npm start` does). Opening
 * a fresh embedded database leaves ~400 MB of WebAssembly memory behind (PGlite's first start creates the database
 * cluster), garbage once the database is open; V8 sees only small objects holding it and can leave it for hours.
 * Measured: idle RSS on PGlite from ~900 to ~500 MiB (bench/README.md).
 */
function collectStartupGarbage() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) setTimeout(gc, 500).unref();
}
