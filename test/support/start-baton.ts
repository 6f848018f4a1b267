/**
 * Starts a whole Baton (real HTTP server on a random port, real database) for integration tests.
 * Pass environment variables as Baton would read them; the console output is captured, not printed.
 */
import { pino } from "pino";
import { type Baton, createBaton } from "../../src/app.ts";
import { type BatonConfig, EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import { parseEnv, type RuntimeConfig } from "../../src/config/env.ts";
import type { Database } from "../../src/db/database.ts";
import type { Platform } from "../../src/domain/chat-message.ts";
import { listen, type RunningServer } from "../../src/http/server.ts";
import type { Logger } from "../../src/logger.ts";
import { createTestDatabase, type Engine } from "./databases.ts";

export interface TestBaton {
  baton: Baton;
  db: Database;
  config: RuntimeConfig;
  server: RunningServer;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Everything local mode printed. */
  consoleOutput: string[];
  stop(): Promise<void>;
}

export async function startTestBaton(
  options: {
    env?: Record<string, string>;
    batonConfig?: BatonConfig;
    engine?: Engine;
    db?: Database;
    now?: () => Date;
    /** Defaults to a silent pino (TEST_LOG_LEVEL raises it); pass one to assert on what Baton logs. */
    logger?: Logger;
    /** Outbox pacing per conversation; none by default, so tests do not sleep between posts to one channel. */
    outboxPacingMs?: Partial<Record<Platform, number>>;
  } = {},
): Promise<TestBaton> {
  const config = parseEnv({ ...options.env });
  const db = options.db ?? (await createTestDatabase(options.engine ?? "pglite"));
  const consoleOutput: string[] = [];
  const baton = await createBaton({
    config,
    batonConfig: options.batonConfig ?? loadBatonConfig(EXAMPLE_CONFIG_PATH),
    db,
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    consoleWrite: (text) => consoleOutput.push(text),
    now: options.now,
    outboxPacingMs: options.outboxPacingMs ?? { slack: 0, teams: 0 },
  });
  const server = await listen(baton.app, 0, "127.0.0.1");
  return {
    baton,
    db,
    config,
    server,
    url: `http://127.0.0.1:${server.port}`,
    consoleOutput,
    async stop() {
      await baton.disconnectChat();
      await server.close(1_000);
      await baton.stopJobs();
      await db.close();
    },
  };
}
