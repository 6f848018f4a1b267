/**
 * KPI and agenda latency over a large funnel on PostgreSQL: `GET /api/kpi` for every period through the real HTTP
 * server, `/baton kpi qtd` through the command path every platform shares (Baton's `answerCommand`, scorecard
 * included), and the weekly agenda (`GET /api/agenda`, `/baton agenda`).
 *   BATON_BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:kpi -- [leads=1000000] [requests=20]
 * Seeds a database `baton_bench_kpi_<leads>` once (INSERT … SELECT generate_series, in the server, no rows through
 * Node) and reuses it on later runs; `--reseed` drops it first. Prints p50/p95 per request and writes them, with the
 * machine and its load average, to bench/results/.
 *
 * The funnel: leads spread evenly over the last 365 days across the example's three teams; 10 % still offered,
 * 15 % rejected (a tenth of them re-routed and accepted), 75 % accepted; of all leads 70 % touched, 50 % SQL,
 * 35 % with a deal: 15 % won, 10 % lost, 10 % open; 2 % are repeat MQLs linked to an open lead; renewals and
 * churns on a tenth of the won.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { pino } from "pino";
import { createBaton } from "../src/app.ts";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../src/config/baton-config.ts";
import { parseEnv } from "../src/config/env.ts";
import { openDatabase } from "../src/db/database.ts";
import { applyMigrations } from "../src/db/schema-engine.ts";
import { resolveKpiRequest } from "../src/domain/kpi/kpi-request.ts";
import { listen } from "../src/http/server.ts";

const args = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const leads = Number(args[0] ?? 1_000_000);
const requests = Number(args[1] ?? 40);
const reseed = process.argv.includes("--reseed");
const adminUrl = process.env.BATON_BENCH_POSTGRES_URL;
if (!adminUrl) {
  console.error(
    "Set BATON_BENCH_POSTGRES_URL to an admin connection, e.g. postgresql://postgres@127.0.0.1:5432/postgres",
  );
  process.exit(2);
}
const token = "bench-read-api-token-0123456789";
const database = `baton_bench_kpi_${leads}`;
const url = new URL(adminUrl);
url.pathname = `/${database}`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/**
 * A UUIDv7 as Prisma's `@default(uuid(7))` makes Baton's lead ids: the creation time's milliseconds first, so leads
 * received together sit together in every index keyed by lead id (random v4 ids would scatter them).
 */
const UUID_V7 = (at: string, salt: string) =>
  `(lpad(to_hex((extract(epoch FROM ${at}) * 1000)::bigint), 12, '0') || '7' || substr(md5(${salt}), 1, 3) || '8'
    || substr(md5(${salt}), 4, 15))::uuid`;

/** The funnel, written by the server itself. Bucket b = i % 100 decides each lead's fate (see the header). */
const SEED_SQL = (n: number) => [
  // Row by row, the KPI-fact triggers would re-read each lead several times over: they are filled in one pass below.
  "SET session_replication_role = replica",
  `CREATE TEMP TABLE seed AS
   SELECT i, i % 100 AS b,
     (ARRAY['emea-sales','na-sales','inside-sales'])[1 + i % 3] AS team,
     (ARRAY['ada','grace','katherine'])[1 + i % 3] AS rep,
     now() - (i::float8 / ${n} * interval '365 days') AS received
   FROM generate_series(1, ${n}) AS i`,
  `INSERT INTO "Lead" (id, source, "externalId", email, "rawPayload", status, "teamId", "ownerRepId", campaign,
     channel, "duplicateOfId", "receivedAt", "offeredAt", "acceptedAt", "rejectedAt", "firstTouchAt", "sqlAt",
     "closedAt", "updatedAt")
   SELECT ${UUID_V7("received", "i::text")}, 'bench', 'b-' || i, 'lead' || i || '@corp' || (i % 5000) || '.example', '{}',
     (CASE WHEN b < 10 THEN 'offered' WHEN b < 25 AND b <> 24 THEN 'rejected' WHEN b < 30 THEN 'accepted'
           WHEN b < 50 THEN 'contacted' WHEN b < 65 THEN 'sql' WHEN b < 80 THEN 'won' WHEN b < 90 THEN 'lost'
           ELSE 'opportunity' END)::"LeadStatus",
     team, CASE WHEN b >= 24 THEN rep END,
     CASE WHEN i % 4 = 0 THEN NULL ELSE 'campaign-' || (i % 12) END,
     (ARRAY['paid-search','events','social','email'])[1 + i % 4],
     NULL, received, received,
     CASE WHEN b >= 24 THEN received + ((i % 240) + 1) * interval '1 minute' END,
     CASE WHEN b BETWEEN 10 AND 24 THEN received + (i % 60) * interval '1 minute' END,
     CASE WHEN b >= 30 THEN received + ((i % 240) + 1 + (i % 600)) * interval '1 minute' END,
     CASE WHEN b >= 50 THEN received + interval '3 days' END,
     CASE WHEN b BETWEEN 65 AND 89 THEN received + interval '30 days' END,
     now()
   FROM seed`,
  // Repeat MQLs: 2 % of leads get a second MQL a day later, linked to the first.
  `INSERT INTO "Lead" (id, source, "externalId", email, "rawPayload", status, "teamId", "duplicateOfId",
     "receivedAt", "updatedAt")
   SELECT ${UUID_V7(`l."receivedAt" + interval '1 day'`, `l."externalId"`)}, 'bench', l."externalId" || '-repeat', l.email, '{}', 'new', l."teamId", l.id,
     l."receivedAt" + interval '1 day', now()
   FROM "Lead" l WHERE l.source = 'bench' AND l."duplicateOfId" IS NULL AND l."externalId" ~ '[05]0$'`,
  `CREATE TEMP TABLE primary_leads AS
   SELECT l.*, substring(l."externalId" from 3)::int % 100 AS b FROM "Lead" l
   WHERE l.source = 'bench' AND l."duplicateOfId" IS NULL`,
  // Every offered lead has an offer; the re-routed ones (b = 24) were first rejected by another team.
  `INSERT INTO "Offer" (id, "leadId", "teamId", status, conversation, "messageRef", "postedAt", "decidedAt",
     "decidedByRepId", "rejectReason", "createdAt", "updatedAt")
   SELECT gen_random_uuid(), id, CASE WHEN b = 24 THEN 'inside-sales' ELSE "teamId" END,
     (CASE WHEN b < 10 THEN 'pending' WHEN b <= 24 THEN 'rejected' ELSE 'accepted' END)::"OfferStatus",
     'console:' || "teamId", '1', "receivedAt" + interval '1 minute',
     COALESCE("rejectedAt", "acceptedAt"), "ownerRepId",
     (CASE WHEN b BETWEEN 10 AND 24 THEN (ARRAY['not_a_fit','wrong_territory','duplicate','existing_customer',
       'bad_contact_data','no_budget_or_timing','other'])[1 + b % 7] END)::"RejectReason",
     "receivedAt", now()
   FROM primary_leads`,
  `INSERT INTO "Offer" (id, "leadId", "teamId", status, conversation, "messageRef", "postedAt", "decidedAt",
     "decidedByRepId", "createdAt", "updatedAt")
   SELECT gen_random_uuid(), id, "teamId", 'accepted', 'console:' || "teamId", '2', "rejectedAt",
     "acceptedAt", "ownerRepId", "rejectedAt", now()
   FROM primary_leads WHERE b = 24`,
  `INSERT INTO "SlaClock" (id, "leadId", kind, policy, status, "startedAt", "dueAt", "updatedAt")
   SELECT gen_random_uuid(), id, 'accept', 'standard',
     (CASE WHEN b < 10 THEN 'running' WHEN b < 24 THEN 'cancelled'
           WHEN "acceptedAt" - "receivedAt" > interval '30 minutes' THEN 'breached' ELSE 'met' END)::"SlaStatus",
     "receivedAt", "receivedAt" + interval '30 minutes', now()
   FROM primary_leads`,
  `INSERT INTO "SlaClock" (id, "leadId", kind, policy, status, "startedAt", "dueAt", "updatedAt")
   SELECT gen_random_uuid(), id, 'first_touch', 'standard',
     (CASE WHEN "firstTouchAt" IS NULL THEN 'running'
           WHEN "firstTouchAt" - "acceptedAt" > interval '4 hours' THEN 'breached' ELSE 'met' END)::"SlaStatus",
     "acceptedAt", "acceptedAt" + interval '4 hours', now()
   FROM primary_leads WHERE "acceptedAt" IS NOT NULL`,
  `INSERT INTO "FunnelEvent" (id, "leadId", type, source, "externalId", amount, "occurredAt")
   SELECT gen_random_uuid(), id, 'first_touch', 'bench', 'ft-' || "externalId", NULL, "firstTouchAt"
   FROM primary_leads WHERE "firstTouchAt" IS NOT NULL`,
  `INSERT INTO "FunnelEvent" (id, "leadId", type, source, "externalId", amount, "occurredAt")
   SELECT gen_random_uuid(), id, 'sql', 'bench', 'sql-' || "externalId", NULL, "sqlAt"
   FROM primary_leads WHERE "sqlAt" IS NOT NULL`,
  `INSERT INTO "FunnelEvent" (id, "leadId", type, source, "externalId", amount, "occurredAt")
   SELECT gen_random_uuid(), id, 'opportunity', 'bench', 'opp-' || "externalId", 1000 + (b * 377) % 50000,
     "sqlAt" + interval '5 days'
   FROM primary_leads WHERE b >= 65`,
  `INSERT INTO "FunnelEvent" (id, "leadId", type, source, "externalId", amount, "occurredAt")
   SELECT gen_random_uuid(), id, (CASE WHEN b < 80 THEN 'won' ELSE 'lost' END)::"FunnelEventType", 'bench',
     'close-' || "externalId", CASE WHEN b < 80 THEN 1000 + (b * 377) % 50000 END, "closedAt"
   FROM primary_leads WHERE b BETWEEN 65 AND 89`,
  `INSERT INTO "FunnelEvent" (id, "leadId", type, source, "externalId", amount, "occurredAt")
   SELECT gen_random_uuid(), id, (CASE WHEN b % 2 = 0 THEN 'renewed' ELSE 'churned' END)::"FunnelEventType",
     'bench', 'renew-' || "externalId", CASE WHEN b % 2 = 0 THEN 1000 + (b * 377) % 50000 END,
     "closedAt" + interval '90 days'
   FROM primary_leads WHERE b BETWEEN 65 AND 79 AND "externalId" ~ '[0-9]0$' AND "closedAt" < now() - interval '90 days'`,
  `INSERT INTO "Deal" (id, "leadId", "teamId", "ownerRepId", amount, currency, stage, outcome, "openedAt",
     "closedAt", "updatedAt")
   SELECT gen_random_uuid(), id, "teamId", "ownerRepId", 1000 + (b * 377) % 50000, 'USD',
     CASE WHEN b < 80 THEN 'won' WHEN b < 90 THEN 'lost' ELSE 'opportunity' END,
     (CASE WHEN b < 80 THEN 'won' WHEN b < 90 THEN 'lost' ELSE 'open' END)::"DealOutcome",
     "sqlAt" + interval '5 days', "closedAt", now()
   FROM primary_leads WHERE b >= 65`,
  `INSERT INTO "MarketingSpend" (id, "weekStart", channel, campaign, amount)
   SELECT gen_random_uuid(), w::date, c, '', 5000
   FROM generate_series(date_trunc('week', now() - interval '365 days'), now(), interval '7 days') AS w,
        unnest(ARRAY['paid-search','events','social','email']) AS c`,
  // Statistics first: without them the planner takes the fresh tables for empty and reads every offer per lead.
  "ANALYZE",
  // The seed ran with triggers off (session_replication_role = replica): the KPI facts of every lead, deal and
  // closing event, one statement each, from the same views the triggers read (migration `kpi_lead_fact`).
  `INSERT INTO "KpiLeadFact" ("leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign,
     channel, accepted, rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons",
     "acceptSla", "firstTouchSla")
   SELECT "leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign, channel, accepted,
     rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons", "acceptSla",
     "firstTouchSla"
   FROM "KpiLeadFactSource"`,
  `INSERT INTO "KpiDealFact" ("dealId", "leadId", amount, "openedAt", "closedAt", "teamId", "ownerRepId", source,
     campaign)
   SELECT "dealId", "leadId", amount, "openedAt", "closedAt", "teamId", "ownerRepId", source, campaign
   FROM "KpiDealFactSource"`,
  `INSERT INTO "KpiClosingFact" ("eventId", "leadId", type, "occurredAt", amount, "teamId", "ownerRepId", source,
     campaign, attributed)
   SELECT "eventId", "leadId", type, "occurredAt", amount, "teamId", "ownerRepId", source, campaign, attributed
   FROM "KpiClosingFactSource"`,
  "SET session_replication_role = origin",
  // As autovacuum would leave a table nobody has written for a while: visibility map set, statistics fresh.
  "VACUUM ANALYZE",
];

async function seed() {
  const exists = await admin((client) =>
    client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]).then((r) => r.rowCount === 1),
  );
  if (exists && !reseed) return console.log(`reusing ${database}`);
  await admin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${database}"`);
  });
  await applyMigrations({ databaseUrl: url.toString() });
  // Teams and reps first (foreign keys): Baton syncs them from the configuration.
  const db = await openDatabase({ kind: "postgres", url: url.toString() });
  await createBaton({
    config: parseEnv({}),
    batonConfig: loadBatonConfig(EXAMPLE_CONFIG_PATH),
    db,
    logger: pino({ level: "silent" }),
    consoleWrite: () => {},
  });
  await db.close();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const started = performance.now();
  try {
    for (const statement of SEED_SQL(leads)) {
      const step = performance.now();
      const result = await client.query(statement);
      console.log(
        `  ${statement.trim().split("\n")[0].slice(0, 60).padEnd(60)} ${String(result.rowCount ?? "").padStart(8)} rows ${seconds(step)}`,
      );
    }
  } finally {
    await client.end();
  }
  console.log(`seeded ${leads} leads in ${seconds(started)}`);
}

interface Measured {
  label: string;
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

function percentiles(label: string, timings: number[]): Measured {
  const sorted = [...timings].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const measured = { label, runs: sorted.length, p50: at(50), p95: at(95), max: at(100) };
  console.log(
    `${label.padEnd(44)} ${sorted.length} runs: p50 ${measured.p50.toFixed(0)} ms, p95 ${measured.p95.toFixed(0)} ms, max ${measured.max.toFixed(0)} ms`,
  );
  return measured;
}

const PERIODS = ["this-week", "last-week", "mtd", "qtd", "30d", "90d"] as const;

await seed();
const loadBefore = os.loadavg();
const db = await openDatabase({ kind: "postgres", url: url.toString() });
const batonConfig = loadBatonConfig(EXAMPLE_CONFIG_PATH);
const baton = await createBaton({
  config: parseEnv({ BATON_API_TOKEN: token }),
  batonConfig,
  db,
  logger: pino({ level: "silent" }),
  consoleWrite: () => {},
});
const server = await listen(baton.app, 0, "127.0.0.1");
const results: Measured[] = [];
let qtdKpis: Record<string, unknown> = {};
try {
  const get = async (pathAndQuery: string) => {
    const timings: number[] = [];
    let body: unknown;
    for (let i = 0; i < requests; i++) {
      const t0 = performance.now();
      const response = await fetch(`http://127.0.0.1:${server.port}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      body = await response.json();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
      timings.push(performance.now() - t0);
    }
    results.push(percentiles(`GET ${pathAndQuery}`, timings));
    return body;
  };
  const api = async (query: string) => (await get(`/api/kpi?${query}`)) as { kpis: Record<string, unknown> };
  // One warm-up request: the first one also pays for connecting and planning.
  await api("period=qtd").then(() => results.pop());
  for (const period of PERIODS) {
    const body = await api(`period=${period}`);
    if (period === "qtd") qtdKpis = body.kpis;
  }
  await api("period=qtd&team=emea-sales");
  await api("period=qtd&campaign=campaign-3");
  // Commands through the shared grammar and handlers Slack, Teams and the console call, the answer rendered.
  const command = async (line: string, label: string, expected: string) => {
    const timings: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t0 = performance.now();
      const answer = await baton.answerCommand(line, "console:operator");
      if (!answer.text.includes(expected)) throw new Error(`unexpected answer: ${answer.text}`);
      timings.push(performance.now() - t0);
    }
    results.push(percentiles(label, timings));
  };
  await command("kpi qtd", "/baton kpi qtd (command path)", "MQLs");
  // The weekly agenda over the same funnel: built fresh on every request (the week's leads, deals, clocks and
  // rejects, the four weeks before for the slowdown tests, the scoreboard's KPIs), as the job builds it.
  await get("/api/agenda").then(() => results.pop());
  const agenda = (await get("/api/agenda")) as { items: unknown[] };
  if (!Array.isArray(agenda.items)) throw new Error(`unexpected agenda: ${JSON.stringify(agenda).slice(0, 200)}`);
  await get("/api/agenda?team=emea-sales");
  await command("agenda", "/baton agenda (command path, rendered)", "agenda");
} finally {
  await server.close();
  await baton.stopJobs();
  await db.close();
}
const loadAfter = os.loadavg();
const { period } = resolveKpiRequest(batonConfig, { period: "qtd" }, new Date());
console.log(`qtd = ${period.from}..${period.to}:`, JSON.stringify(qtdKpis));

const pgVersion = await admin((client) => client.query("SHOW server_version").then((r) => r.rows[0].server_version));
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}, PostgreSQL ${pgVersion}`;
const stamp = new Date().toISOString().replaceAll(":", "-").replace(".", "-");
const report = [
  `# KPI benchmark, ${leads.toLocaleString("en-US")} leads, ${new Date().toISOString()}`,
  "",
  `Machine: ${machine}. Load average (1, 5, 15 min) ${loadBefore.map((l) => l.toFixed(1)).join(", ")} before the requests, ${loadAfter.map((l) => l.toFixed(1)).join(", ")} after${loadBefore[0] > os.cpus().length ? ": above the core count, other work shared the CPUs and the figures are pessimistic" : ""}.`,
  "",
  `Database \`${database}\`; one client, requests one after the other; each answer is the period and the one before it.`,
  "",
  "| request | runs | p50 ms | p95 ms | max ms | p95 < 500 ms |",
  "| --- | --- | --- | --- | --- | --- |",
  ...results.map(
    (r) =>
      `| \`${r.label}\` | ${r.runs} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.max.toFixed(0)} | ${r.p95 < 500 ? "yes" : "no"} |`,
  ),
  "",
  `qtd (${period.from}..${period.to}): \`${JSON.stringify(qtdKpis)}\``,
  "",
].join("\n");
const file = path.join(path.dirname(new URL(import.meta.url).pathname), "results", `${stamp}-kpi-${leads}.md`);
fs.writeFileSync(file, report);
console.log(`written to ${path.relative(process.cwd(), file)}`);
