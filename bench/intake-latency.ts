/**
 * Intake latency and throughput through the real HTTP endpoint (signature, validation, routing, offer, outbox).
 *   npx tsx bench/intake-latency.ts [leads=500] [concurrency=8]
 * Runs on the embedded PGlite, and on PostgreSQL too when BATON_BENCH_POSTGRES_URL names an admin connection
 * (e.g. postgresql://postgres@127.0.0.1:5432/postgres). Prints percentiles from one run; compare runs as ratios.
 */

import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { pino } from "pino";
import { createBaton } from "../src/app.ts";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../src/config/baton-config.ts";
import { parseEnv } from "../src/config/env.ts";
import { openDatabase, wrapPglite } from "../src/db/database.ts";
import { applyMigrations } from "../src/db/schema-engine.ts";
import { listen } from "../src/http/server.ts";
import { signBatonRequest } from "../src/intake/verify-signature.ts";

const leads = Number(process.argv[2] ?? 500);
const concurrency = Number(process.argv[3] ?? 8);
const secret = "bench-secret";

async function run(label: string, db: Awaited<ReturnType<typeof openDatabase>>) {
  const baton = await createBaton({
    config: parseEnv({ INTAKE_SIGNING_SECRET: secret }),
    batonConfig: loadBatonConfig(EXAMPLE_CONFIG_PATH),
    db,
    logger: pino({ level: "silent" }),
    consoleWrite: () => {},
  });
  const server = await listen(baton.app, 0, "127.0.0.1");
  const timings: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < leads) {
        const i = next++;
        const body = JSON.stringify({
          source: "bench",
          externalId: `b-${i}`,
          email: `lead${i}@corp${i % 50}.example`,
          region: i % 2 ? "EMEA" : "AMER",
          employees: (i * 37) % 3000,
          score: i % 100,
        });
        const timestamp = Math.floor(Date.now() / 1000);
        const t0 = performance.now();
        const response = await fetch(`http://127.0.0.1:${server.port}/webhooks/mql`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-baton-timestamp": String(timestamp),
            "x-baton-signature": signBatonRequest(secret, timestamp, body),
          },
          body,
        });
        await response.arrayBuffer();
        if (response.status !== 202) throw new Error(`lead ${i}: HTTP ${response.status}`);
        timings.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  timings.sort((a, b) => a - b);
  const pct = (p: number) => timings[Math.min(timings.length - 1, Math.floor((p / 100) * timings.length))].toFixed(1);
  console.log(
    `${label.padEnd(10)} ${leads} leads, concurrency ${concurrency}: ${(leads / seconds).toFixed(0)} leads/s, p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms`,
  );
  await server.close();
  await baton.stopJobs();
  await db.close();
  return leads / seconds;
}

const pglite = new PGlite("memory://");
await applyMigrations({ pglite });
const liteRate = await run("pglite", wrapPglite(pglite));

const adminUrl = process.env.BATON_BENCH_POSTGRES_URL;
if (adminUrl) {
  const name = `baton_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await applyMigrations({ databaseUrl: url.toString() });
  const pgRate = await run("postgres", await openDatabase({ kind: "postgres", url: url.toString() }));
  await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
  await admin.end();
  console.log(`postgres/pglite throughput ratio: ${(pgRate / liteRate).toFixed(2)}`);
}
process.exit(0);
