/**
 * Baton's benchmark: the real server (`node … src/main.ts` with `npm start`'s flags) with Slack faked by a
 * local HTTP server, everything on loopback.
 *   npm run bench          full run: PGlite, and PostgreSQL when BATON_BENCH_POSTGRES_URL names an admin connection
 *   npm run bench:quick    under two minutes, embedded database only: for checking a change
 * To look at one part: `--database=postgres|pglite`, `--only=intake` (no accepts, no backfills), `--rate=N` and
 * `--seconds=N` (intake), BENCH_SERVER_NODE_ARGS for more Node flags on the server (e.g. `--cpu-prof`), and
 * BENCH_LATENCIES=<file> to write each measured request's phase, send time and latency to a file.
 * Measures, per database: the single-insert floor (one Prisma INSERT, the cost of one round trip through the same
 * stack); signed MQLs at a fixed rate (answer p50/p95/p99, errors, intake → card at the fake Slack); signed Slack
 * `block_actions` accepts at a fixed rate (acknowledgement p50/p99); server RSS idle and after intake; CSV
 * backfill with and without routing. Latencies are also given as multiples of the floor, which carries over between
 * machines better than milliseconds. Prints a table and writes it, with the machine and date, to bench/results/.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import jwt from "jsonwebtoken";
import pg from "pg";
import { type Database, openDatabase } from "../src/db/database.ts";
import { wrapPglite } from "../src/db/embedded-database.ts";
import { applyMigrations } from "../src/db/schema-engine.ts";
import { signBatonRequest } from "../src/intake/verify-signature.ts";

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const QUICK = process.argv.includes("--quick");
const option = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;
const ONLY_INTAKE = option("only") === "intake";
/** Intake and the accepts, without the backfills. */
const SKIP_BACKFILLS = ONLY_INTAKE || option("only") === "interactivity";
const WARMUP_SECONDS = QUICK ? 2 : 5;
/**
 * Node's flags and the environment `npm start` gives them (package.json's start script: `[NAME=value …] exec node
 * [flags] src/main.ts`), so that the bench runs what users run.
 */
const START = (() => {
  const start: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts.start;
  const parsed = /^((?:\w+=\S*\s+)*)exec\s+node\s+(.*?)\s*src\/main\.ts$/.exec(start.trim());
  if (!parsed) throw new Error(`cannot read Node's flags from the start script: ${start}`);
  const env = Object.fromEntries(
    parsed[1]
      .split(/\s+/)
      .filter(Boolean)
      .map((assignment) => [
        assignment.slice(0, assignment.indexOf("=")),
        assignment.slice(assignment.indexOf("=") + 1),
      ]),
  );
  return { env: env as Record<string, string>, nodeArgs: parsed[2].split(/\s+/).filter(Boolean) };
})();
const ONLY_DATABASE = option("database");
/** A run narrowed by the options above: its results file says so. */
const PARTIAL = process.argv.some((arg) => /^--(only|database|rate|seconds)=/.test(arg));
const INTAKE_SECRET = "bench-intake-secret";
const SLACK_SECRET = "bench-slack-signing-secret";
const API_TOKEN = "bench-read-api-token-0123456789";

interface Plan {
  intakeRate: number;
  intakeSeconds: number;
  acceptRate: number;
  acceptSeconds: number;
  /** Teams `adaptiveCard/action` accepts, on leads routed to the Teams team. */
  teamsAcceptRate: number;
  teamsAcceptSeconds: number;
  backfillRows: number;
  /**
   * A routed row is a whole intake (routing, offer, clock, card in the outbox): 10,000 of them rather than 100,000
   * keep the full run within the hour; the rate is what carries over.
   */
  routedBackfillRows: number;
}
const PLANS: Record<"pglite" | "postgres", Plan> = QUICK
  ? {
      pglite: {
        intakeRate: 20,
        intakeSeconds: 6,
        acceptRate: 10,
        acceptSeconds: 5,
        teamsAcceptRate: 10,
        teamsAcceptSeconds: 5,
        backfillRows: 5_000,
        routedBackfillRows: 200,
      },
      postgres: {
        intakeRate: 20,
        intakeSeconds: 10,
        acceptRate: 10,
        acceptSeconds: 5,
        teamsAcceptRate: 10,
        teamsAcceptSeconds: 5,
        backfillRows: 5_000,
        routedBackfillRows: 200,
      },
    }
  : {
      pglite: {
        intakeRate: 50,
        intakeSeconds: 60,
        acceptRate: 50,
        acceptSeconds: 20,
        teamsAcceptRate: 50,
        teamsAcceptSeconds: 20,
        backfillRows: 100_000,
        routedBackfillRows: 10_000,
      },
      postgres: {
        intakeRate: 200,
        intakeSeconds: 60,
        acceptRate: 50,
        acceptSeconds: 20,
        teamsAcceptRate: 50,
        teamsAcceptSeconds: 20,
        backfillRows: 100_000,
        routedBackfillRows: 10_000,
      },
    };

/**
 * Ten sales teams, one channel and one rep each, routed by country: Slack takes about one message a second per
 * channel, so one channel would make "intake → card" measure Slack's pacing, not Baton.
 */
const COUNTRIES = ["GB", "DE", "FR", "ES", "IT", "NL", "SE", "US", "CA", "JP"];
const channelOf = (team: number) => `C0BENCH${team}`;
/** One more team, on Teams, for the `adaptiveCard/action` accepts: MQLs from this country go to it. */
const TEAMS_COUNTRY = "AU";
const TEAMS_CHANNEL = "19:bench@thread.tacv2";
const TEAMS_REP = "aad-bench-teams-rep";
const TEAMS_APP_ID = "3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";
const TEAMS_TENANT_ID = "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4";
const TEAMS_TOKEN_ISSUER = "https://api.baton-fake.test";
const repOf = (team: number) => `U0BENCHREP${team}`;
const BENCH_CONFIG = `
organization: Bench Corp
marketing: { name: Demand Gen, channel: "slack:C0MKTG" }
teams:
${COUNTRIES.map(
  (_, team) => `  - id: sales-${team}
    name: Sales ${team}
    channel: "slack:${channelOf(team)}"
    timezone: UTC
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps:
      - { id: rep-${team}, name: Rep ${team}, slackUserId: ${repOf(team)}, capacity: 1000000 }`,
).join("\n")}
  - id: teams-sales
    name: Teams Sales
    channel: "teams:${TEAMS_CHANNEL}"
    timezone: UTC
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps:
      - { id: teams-rep, name: Teams Rep, teamsUserId: ${TEAMS_REP} }
routing:
  rules:
    - { id: teams, team: teams-sales, match: { country: [${TEAMS_COUNTRY}] } }
${COUNTRIES.map((country, team) => `    - { id: r-${team}, team: sales-${team}, match: { country: [${country}] } }`).join("\n")}
  fallbackTeam: sales-0
sla:
  defaultPolicy: standard
  policies: [{ id: standard, acceptWithin: 30m, firstTouchWithin: 4h }]
`;

// ---------- small helpers ----------

const benchStarted = performance.now();
/** Progress on stderr, so that the table on stdout stays clean. */
const progress = (message: string) =>
  process.stderr.write(`[${((performance.now() - benchStarted) / 1000).toFixed(0)} s] ${message}\n`);

/** Servers and imports this run started: stopped with it, however it ends. */
const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(1));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds the whole machine has used so far (every core, every process), from /proc/stat. */
function machineCpuSeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = fs
    .readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Where the CPU went during `work`, in CPU seconds: the server, this load generator, and the rest of the machine
 * (PostgreSQL when the server runs on it; counted from the machine's total, so that backends which come and go are
 * not missed).
 */
async function cpuDuring<T>(serverPid: number, work: () => Promise<T>) {
  const before = { server: cpuSeconds(serverPid), machine: machineCpuSeconds(), bench: process.cpuUsage() };
  const result = await work();
  const benchUsage = process.cpuUsage(before.bench);
  const server = cpuSeconds(serverPid) - before.server;
  const loadGenerator = (benchUsage.user + benchUsage.system) / 1e6;
  return {
    result,
    cpu: { server, loadGenerator, rest: machineCpuSeconds() - before.machine - server - loadGenerator },
  };
}

/** CPU per stored MQL, for the table. */
function cpuPerMql(cpu: { server: number; loadGenerator: number; rest: number }, stored: number, kind: string): string {
  const per = (seconds: number) => `${((seconds * 1000) / Math.max(1, stored)).toFixed(2)} ms`;
  // The embedded database runs inside the server: the rest of the machine is then only noise, left out.
  if (kind !== "postgres") {
    return `server (database included) ${per(cpu.server)}, load generator ${per(cpu.loadGenerator)} (${cpu.server.toFixed(1)} / ${cpu.loadGenerator.toFixed(1)} s in all)`;
  }
  return `server ${per(cpu.server)}, PostgreSQL and the rest ${per(cpu.rest)}, load generator ${per(cpu.loadGenerator)} (${cpu.server.toFixed(1)} / ${cpu.rest.toFixed(1)} / ${cpu.loadGenerator.toFixed(1)} s in all)`;
}

/** Fires `work(i)` at a fixed rate (open loop: a slow answer does not slow the sender), bounded in count and time. */
async function atFixedRate(rate: number, seconds: number, work: (i: number) => Promise<void>) {
  const count = Math.round(rate * seconds);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(work(i).catch(() => {}));
  }
  await Promise.race([Promise.all(pending), sleep(seconds * 1000 + 30_000)]);
}

// ---------- the fake Slack ----------

interface FakeSlack {
  url: string;
  /** lead id → when its card arrived, where, and the message ts given back. */
  cards: Map<string, { at: number; ts: string; channel: string }>;
  close(): Promise<void>;
}

async function startFakeSlack(): Promise<FakeSlack> {
  const cards = new Map<string, { at: number; ts: string; channel: string }>();
  let counter = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const method = req.url?.split("/").pop()?.split("?")[0] ?? "";
      const ts = `1700000000.${String(++counter).padStart(6, "0")}`;
      const text = decodeURIComponent(body.replace(/\+/g, " "));
      const channel = /(?:^|&)channel=([^&]+)/.exec(body)?.[1] ?? /"channel":"([^"]+)"/.exec(text)?.[1] ?? "C0BENCH";
      if (method === "chat.postMessage") {
        // The button carries the lead id as its value (its label object comes between, so no [^}] here).
        const leadId = /"action_id":"lead_accept"[\s\S]*?"value":"([0-9a-f-]{36})"/.exec(text)?.[1];
        if (leadId && !cards.has(leadId)) cards.set(leadId, { at: performance.now(), ts, channel });
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, ts, channel, user_id: "U0BOT", bot_id: "B0BOT", team_id: "T0BENCH" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cards,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---------- the fake Bot Framework ----------

interface FakeBotFramework {
  url: string;
  /** A channel token as the Teams service signs it, for this fake's published key. */
  token(): string;
  close(): Promise<void>;
}

/**
 * The Bot Framework's OpenID metadata and signing keys (an RSA key made here), so that Baton verifies the invokes'
 * tokens for real, and a Bot Connector that accepts whatever Baton sends. Baton's own outbound token comes from a
 * login authority that is not faked here (MSAL needs https): its DMs and card updates to Teams wait in the outbox,
 * which does not touch the acknowledgement measured.
 */
async function startFakeBotFramework(): Promise<FakeBotFramework> {
  const { privateKey, publicKey }: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
  });
  const kid = "bench-key";
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/openid") {
        res.end(
          JSON.stringify({
            issuer: TEAMS_TOKEN_ISSUER,
            jwks_uri: `${url}/keys`,
            id_token_signing_alg_values_supported: ["RS256"],
          }),
        );
      } else if (req.url === "/keys") {
        const jwk = publicKey.export({ format: "jwk" });
        res.end(JSON.stringify({ keys: [{ ...jwk, kid, use: "sig", alg: "RS256", endorsements: ["msteams"] }] }));
      } else {
        res.statusCode = 201;
        res.end(JSON.stringify({ id: `activity-${randomUUID()}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url,
    token: () =>
      jwt.sign({ serviceurl: `${url}/` }, privateKey, {
        algorithm: "RS256",
        keyid: kid,
        issuer: TEAMS_TOKEN_ISSUER,
        audience: TEAMS_APP_ID,
        expiresIn: "5m",
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function teamsEnv(botFramework: FakeBotFramework): Record<string, string> {
  return {
    MICROSOFT_APP_ID: TEAMS_APP_ID,
    MICROSOFT_APP_PASSWORD: "bench-not-a-secret",
    MICROSOFT_APP_TENANT_ID: TEAMS_TENANT_ID,
    MICROSOFT_APP_TYPE: "SingleTenant",
    BOTFRAMEWORK_OPENID_METADATA_URL: `${botFramework.url}/openid`,
    BOTFRAMEWORK_TOKEN_ISSUER: TEAMS_TOKEN_ISSUER,
    BOTFRAMEWORK_LOGIN_URL: `https://login.baton-fake.test/${TEAMS_TENANT_ID}`,
  };
}

// ---------- the server under test ----------

interface Server {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function baseEnv(database: { url?: string; dataDir?: string }, configFile: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? os.homedir(),
    BATON_CONFIG: configFile,
    LOG_LEVEL: "warn",
    BATON_API_TOKEN: API_TOKEN,
    ...(database.url ? { DATABASE_URL: database.url } : { BATON_DATA_DIR: database.dataDir as string }),
  };
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const extraNodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...START.nodeArgs, ...extraNodeArgs, "src/main.ts"], {
    cwd: REPO_ROOT,
    env: { ...START.env, ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  if (Date.now() >= deadline) throw new Error(`server not ready in time: ${stderr}`);
  return {
    child,
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

// ---------- measurements ----------

/** One INSERT through Prisma, timed alone: the cost of a round trip on this database, in this run. */
async function singleInsertFloor(db: Database, count: number): Promise<number> {
  const timings: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await db.prisma.auditLog.create({ data: { actor: "bench", action: "bench.floor", details: { i } } });
    timings.push(performance.now() - started);
  }
  return percentile(timings, 50);
}

function mqlBody(i: number, runId: string, country = COUNTRIES[i % COUNTRIES.length]) {
  return JSON.stringify({
    source: "bench",
    externalId: `${runId}-${i}`,
    // A person per run: a repeat of an earlier run's person would be linked to that lead, not routed and offered.
    email: `lead${i}.${runId}@corp${i % 97}.example`,
    firstName: "Lead",
    lastName: String(i),
    company: `Corp ${i % 97}`,
    country,
    employees: (i * 37) % 3000,
    score: i % 100,
  });
}

/**
 * The load generator's connections: kept alive and reused, as a sender of webhooks would. Node's own HTTP client
 * rather than fetch: per request it costs the load generator, which shares the server's two cores, about a third
 * of fetch's CPU (fetch builds a Headers, a Request, a Response and an AbortSignal for each).
 */
const LOAD_AGENT = new http.Agent({ keepAlive: true, maxSockets: 512 });

/** One POST on {@link LOAD_AGENT}: the status and the body, parsed as JSON. */
function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs = 30_000) {
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent: LOAD_AGENT,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => {
          try {
            resolve({ status: response.statusCode ?? 0, json: text ? JSON.parse(text) : {} });
          } catch (error) {
            reject(error);
          }
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}

/** One signed MQL to the intake webhook; the lead id when it was stored (202). */
async function postMql(server: Server, body: string): Promise<{ status: number; leadId?: string }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const { status, json } = await postJson(
    `${server.url}/webhooks/mql`,
    {
      "content-type": "application/json",
      "x-baton-timestamp": String(timestamp),
      "x-baton-signature": signBatonRequest(INTAKE_SECRET, timestamp, body),
    },
    body,
  );
  return { status, leadId: typeof json.leadId === "string" ? json.leadId : undefined };
}

/**
 * Every request measured so far, "database-phase sent-at (epoch ms) latency (ms)", for BENCH_LATENCIES: where in time the
 * tail is. Written after each run, so a run cut short still leaves what it measured.
 */
const latencyRows: string[] = [];
let databaseUnderTest = "";
function recordLatency(phase: string, started: number) {
  latencyRows.push(
    `${databaseUnderTest}-${phase} ${(performance.timeOrigin + started).toFixed(1)} ${(performance.now() - started).toFixed(1)}`,
  );
}
function writeLatencies() {
  if (process.env.BENCH_LATENCIES) fs.writeFileSync(process.env.BENCH_LATENCIES, `${latencyRows.join("\n")}\n`);
}

async function intakeRun(server: Server, slack: FakeSlack, plan: Plan, runId: string, waitForCards = true) {
  const answers: number[] = [];
  const sentAt = new Map<string, number>();
  await atFixedRate(plan.intakeRate, plan.intakeSeconds, async (i) => {
    const started = performance.now();
    try {
      const { status, leadId } = await postMql(server, mqlBody(i, runId));
      answers.push(performance.now() - started);
      recordLatency(runId.endsWith("-warmup") ? "warmup" : "intake", started);
      if (status === 202 && leadId) sentAt.set(leadId, started);
    } catch {
      // no answer within 30 s: counted below as not accepted
    }
  });
  const sent = Math.round(plan.intakeRate * plan.intakeSeconds);
  writeLatencies();
  // Cards go out through the outbox: give the last ones time to arrive.
  const deadline = Date.now() + (waitForCards ? 30_000 : 0);
  while (Date.now() < deadline && [...sentAt.keys()].some((id) => !slack.cards.has(id))) await sleep(100);
  const toCard = [...sentAt].flatMap(([id, at]) => {
    const card = slack.cards.get(id);
    return card ? [card.at - at] : [];
  });
  return { sent, answers, accepted: sentAt.size, toCard, leadIds: [...sentAt.keys()] };
}

/** A click on Accept by the rep of the team whose channel the card is in. */
function blockActionsBody(leadId: string, card: { ts: string; channel: string }): string {
  const { ts, channel } = card;
  const team = Number(channel.replace("C0BENCH", ""));
  const user = repOf(Number.isInteger(team) ? team : 0);
  const payload = {
    type: "block_actions",
    user: { id: user, username: user, name: user, team_id: "T0BENCH" },
    api_app_id: "A0BATON",
    token: "unused",
    container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.1.${randomUUID()}`,
    team: { id: "T0BENCH", domain: "bench" },
    channel: { id: channel, name: "sales" },
    message: { type: "message", ts, text: "lead", blocks: [] },
    state: { values: {} },
    response_url: "http://127.0.0.1:9/unused",
    actions: [
      {
        type: "button",
        action_id: "lead_accept",
        block_id: "act1",
        value: leadId,
        text: { type: "plain_text", text: "Accept" },
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function acceptRun(server: Server, slack: FakeSlack, plan: Plan, leadIds: string[]) {
  const acks: number[] = [];
  let errors = 0;
  const posted = leadIds.filter((id) => slack.cards.has(id));
  const rate = plan.acceptRate;
  const seconds = Math.min(plan.acceptSeconds, posted.length / rate);
  await atFixedRate(rate, seconds, async (i) => {
    const leadId = posted[i];
    const card = slack.cards.get(leadId);
    if (!card) return;
    const body = blockActionsBody(leadId, card);
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac("sha256", SLACK_SECRET).update(`v0:${timestamp}:${body}`).digest("hex");
    const started = performance.now();
    try {
      const response = await fetch(`${server.url}/slack/events`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": `v0=${signature}`,
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      acks.push(performance.now() - started);
      recordLatency("slack-accept", started);
      if (response.status !== 200) errors++;
    } catch {
      errors++;
    }
  });
  writeLatencies();
  return { sent: Math.round(rate * seconds), acks, errors };
}

/**
 * How many accepts the server has decided as accepted so far (`baton_handoff_decisions_total`), once `expected`
 * are or the count has not moved for two seconds: an accept refused or already decided is not an accept measured.
 */
async function acceptedCount(server: Server, expected: number): Promise<number> {
  const series = 'baton_handoff_decisions_total{decision="accept",outcome="accepted"} ';
  const read = async () => {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    const line = (await response.text()).split("\n").find((candidate) => candidate.startsWith(series));
    return line ? Number(line.slice(series.length)) : 0;
  };
  let count = await read();
  let unchangedSince = Date.now();
  while (count < expected && Date.now() - unchangedSince < 2_000) {
    await sleep(200);
    const next = await read();
    if (next !== count) unchangedSince = Date.now();
    count = next;
  }
  return count;
}

/** Leads for the Teams team (stored one after another, not measured), then their Accept invokes at a fixed rate. */
async function teamsAcceptRun(server: Server, botFramework: FakeBotFramework, plan: Plan, runId: string) {
  const count = Math.round(plan.teamsAcceptRate * plan.teamsAcceptSeconds);
  const leadIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { leadId } = await postMql(server, mqlBody(i, `${runId}-teams`, TEAMS_COUNTRY));
    if (leadId) leadIds.push(leadId);
  }
  const acks: number[] = [];
  let errors = 0;
  await atFixedRate(plan.teamsAcceptRate, leadIds.length / plan.teamsAcceptRate, async (i) => {
    const activity = {
      name: "adaptiveCard/action",
      type: "invoke",
      id: `f:bench-${i}`,
      timestamp: new Date().toISOString(),
      serviceUrl: `${botFramework.url}/`,
      channelId: "msteams",
      from: { id: `29:1${TEAMS_REP}`, name: "Teams Rep", aadObjectId: TEAMS_REP },
      conversation: {
        isGroup: true,
        conversationType: "channel",
        tenantId: TEAMS_TENANT_ID,
        id: `${TEAMS_CHANNEL};messageid=${i + 1}`,
      },
      recipient: { id: `28:${TEAMS_APP_ID}`, name: "Baton" },
      channelData: {
        channel: { id: TEAMS_CHANNEL },
        team: { id: TEAMS_CHANNEL },
        tenant: { id: TEAMS_TENANT_ID },
        source: { name: "message" },
      },
      replyToId: String(i + 1),
      value: {
        action: { type: "Action.Execute", id: "", verb: "lead_accept", data: { leadId: leadIds[i] } },
        trigger: "manual",
      },
      locale: "en-GB",
    };
    const started = performance.now();
    try {
      const response = await fetch(`${server.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${botFramework.token()}` },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json().catch(() => ({}))) as { statusCode?: number };
      acks.push(performance.now() - started);
      recordLatency("teams-accept", started);
      if (response.status !== 200 || body.statusCode !== 200) errors++;
    } catch {
      errors++;
    }
  });
  writeLatencies();
  return { sent: leadIds.length, acks, errors };
}

function writeCsv(rows: number, runId: string): string {
  const file = path.join(os.tmpdir(), `baton-bench-${runId}-${rows}.csv`);
  const lines = ["source,externalId,email,firstName,company,region,employees,score"];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `csv,${runId}-${i},person${i}@co${i % 997}.example,P${i},Co ${i % 997},${["EMEA", "NA"][i % 2]},${i % 3000},${i % 100}`,
    );
  }
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** `npm run import` as a user runs it, start-up included: seconds for the whole command. */
async function backfill(env: Record<string, string>, rows: number, route: boolean, runId: string): Promise<number> {
  const file = writeCsv(rows, `${runId}-${route ? "r" : "u"}`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/import-leads.ts", file, ...(route ? ["--route"] : [])],
    {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  children.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  fs.rmSync(file, { force: true });
  if (code !== 0) throw new Error(`import exited ${code}: ${stderr}`);
  return (performance.now() - started) / 1000;
}

// ---------- one database ----------

interface Row {
  metric: string;
  value: string;
  ofFloor?: string;
  target?: string;
}

async function benchDatabase(kind: "pglite" | "postgres", adminUrl?: string): Promise<Row[]> {
  const plan = { ...PLANS[kind] };
  databaseUnderTest = kind;
  if (option("rate")) plan.intakeRate = Number(option("rate"));
  if (option("seconds")) plan.intakeSeconds = Number(option("seconds"));
  const runId = randomUUID().slice(0, 8);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "baton-bench-"));
  const configFile = path.join(work, "baton.config.yaml");
  fs.writeFileSync(configFile, BENCH_CONFIG);
  const databases: string[] = [];
  const newDatabase = async (): Promise<{ url?: string; dataDir?: string }> => {
    if (kind === "pglite") return { dataDir: fs.mkdtempSync(path.join(work, "data-")) };
    const name = `baton_bench_${runId}_${databases.length}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    databases.push(name);
    const url = new URL(adminUrl as string);
    url.pathname = `/${name}`;
    return { url: url.toString() };
  };
  const slack = await startFakeSlack();
  const botFramework = await startFakeBotFramework();
  const rows: Row[] = [];
  try {
    progress(`${kind}: single-insert floor`);
    // The floor, on a database of the same kind as the server's.
    const floorTarget = await newDatabase();
    let floorDb: Database;
    if (floorTarget.url) {
      await applyMigrations({ databaseUrl: floorTarget.url });
      floorDb = await openDatabase({ kind: "postgres", url: floorTarget.url });
    } else {
      const pglite = await PGlite.create(path.join(floorTarget.dataDir as string, "pglite"));
      await applyMigrations({ pglite });
      floorDb = wrapPglite(pglite);
    }
    await singleInsertFloor(floorDb, 20);
    const floor = await singleInsertFloor(floorDb, QUICK ? 100 : 300);
    await floorDb.close();
    const ratio = (ms: number) => `${(ms / floor).toFixed(1)}×`;
    rows.push({ metric: "single-insert floor p50", value: `${floor.toFixed(2)} ms`, ofFloor: "1.0×" });

    const database = await newDatabase();
    const env = {
      ...baseEnv(database, configFile),
      INTAKE_SIGNING_SECRET: INTAKE_SECRET,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      ...teamsEnv(botFramework),
    };
    progress(`${kind}: starting the server`);
    const server = await startServer(env);
    try {
      // Two seconds after ready the heap still holds start-up's garbage (compiling, migrating); by ten the collector
      // has usually returned it. Both are shown: the first is the peak a container limit must allow.
      await sleep(2_000);
      const justReady = rssMiB(server.child.pid as number);
      await sleep(8_000);
      rows.push({
        metric: "RSS idle: 2 s / 10 s after ready",
        value: `${justReady.toFixed(0)} / ${rssMiB(server.child.pid as number).toFixed(0)} MiB`,
        target: kind === "postgres" ? "< 300 MiB" : "< 450 MiB",
      });
      // The first seconds after start-up are slower (the JIT compiling the hot paths, the pool opening its
      // connections): measured on their own, as a warm-up at the same rate, and left out of the figures below.
      progress(`${kind}: intake warm-up`);
      const { result: warmup, cpu: warmupCpu } = await cpuDuring(server.child.pid as number, () =>
        intakeRun(server, slack, { ...plan, intakeSeconds: WARMUP_SECONDS }, `${runId}-warmup`, false),
      );
      rows.push({
        metric: `intake warm-up: the first ${WARMUP_SECONDS} s at ${plan.intakeRate} MQL/s after start-up, p50 / p99`,
        value: `${percentile(warmup.answers, 50).toFixed(1)} / ${percentile(warmup.answers, 99).toFixed(1)} ms (${warmup.accepted}/${warmup.sent} answered 202); CPU per MQL: ${cpuPerMql(warmupCpu, warmup.accepted, kind)}`,
      });
      progress(`${kind}: intake`);
      const { result: intake, cpu } = await cpuDuring(server.child.pid as number, () =>
        intakeRun(server, slack, plan, runId),
      );
      const p = (q: number) => percentile(intake.answers, q);
      const label = `intake ${plan.intakeRate} MQL/s × ${plan.intakeSeconds} s`;
      rows.push({
        metric: `${label}: answered`,
        value: `${intake.accepted}/${intake.sent} answered 202; ${intake.answers.length - intake.accepted} other answers (503: retry), ${intake.sent - intake.answers.length} unanswered in 30 s`,
      });
      rows.push({ metric: `${label}: p50`, value: `${p(50).toFixed(1)} ms`, ofFloor: ratio(p(50)) });
      rows.push({ metric: `${label}: p95`, value: `${p(95).toFixed(1)} ms`, ofFloor: ratio(p(95)) });
      rows.push({
        metric: `${label}: p99`,
        value: `${p(99).toFixed(1)} ms`,
        ofFloor: ratio(p(99)),
        target: kind === "postgres" ? "< 50 ms at 200 MQL/s" : undefined,
      });
      rows.push({
        metric: "intake → card at Slack: p50 / p99",
        value:
          intake.toCard.length > 0
            ? `${percentile(intake.toCard, 50).toFixed(0)} / ${percentile(intake.toCard, 99).toFixed(0)} ms (${intake.toCard.length} cards)`
            : "none within 30 s of the run's end: ten channels take ten cards a second (Slack's pacing), and the warm-up's cards went first",
      });
      rows.push({
        metric: "intake CPU per stored MQL (card delivery included)",
        value: cpuPerMql(cpu, intake.accepted, kind),
      });
      rows.push({ metric: "RSS after intake", value: `${rssMiB(server.child.pid as number).toFixed(0)} MiB` });
      if (ONLY_INTAKE) return rows;
      progress(`${kind}: accepts`);
      const accept = await acceptRun(server, slack, plan, [...warmup.leadIds, ...intake.leadIds]);
      // Slack's acknowledgement comes before the decision: wait for the decisions to be counted.
      const slackAccepted = await acceptedCount(server, accept.sent);
      rows.push({
        metric: `Slack accepts ${plan.acceptRate}/s: ack p50 / p99`,
        value: `${percentile(accept.acks, 50).toFixed(1)} / ${percentile(accept.acks, 99).toFixed(1)} ms (${accept.sent} sent, ${slackAccepted} accepted, ${accept.errors} errors)`,
        ofFloor: `${ratio(percentile(accept.acks, 50))} / ${ratio(percentile(accept.acks, 99))}`,
        target: "p99 < 300 ms",
      });
      progress(`${kind}: Teams accepts`);
      const teams = await teamsAcceptRun(server, botFramework, plan, runId);
      const teamsAccepted = (await acceptedCount(server, slackAccepted + teams.sent)) - slackAccepted;
      rows.push({
        metric: `Teams accept invokes ${plan.teamsAcceptRate}/s: ack p50 / p99`,
        value: `${percentile(teams.acks, 50).toFixed(1)} / ${percentile(teams.acks, 99).toFixed(1)} ms (${teams.sent} sent, ${teamsAccepted} accepted, ${teams.errors} errors)`,
        ofFloor: `${ratio(percentile(teams.acks, 50))} / ${ratio(percentile(teams.acks, 99))}`,
        target: "p99 < 300 ms",
      });
    } finally {
      await server.stop();
    }
    if (SKIP_BACKFILLS) return rows;
    progress(`${kind}: backfills`);
    // The command's own start-up (compiling, opening and migrating a fresh database) measured on a one-row file,
    // so that rows per second can also be given for the rows alone.
    const startup = await backfill(baseEnv(await newDatabase(), configFile), 1, false, `${runId}-startup`);
    rows.push({ metric: "CSV import start-up (one row, fresh database)", value: `${startup.toFixed(1)} s` });
    const rate = (count: number, seconds: number) =>
      `${(count / seconds).toFixed(0)} rows/s start-up included; ${(count / Math.max(seconds - startup, 0.001)).toFixed(0)} rows/s after start-up`;
    const unrouted = await backfill(baseEnv(await newDatabase(), configFile), plan.backfillRows, false, runId);
    rows.push({
      metric: `CSV backfill ${plan.backfillRows} rows, unrouted`,
      value: rate(plan.backfillRows, unrouted),
      target: "≥ 2,000 rows/s",
    });
    const routed = await backfill(baseEnv(await newDatabase(), configFile), plan.routedBackfillRows, true, runId);
    rows.push({
      metric: `CSV backfill ${plan.routedBackfillRows} rows, routed`,
      value: rate(plan.routedBackfillRows, routed),
    });
  } finally {
    await slack.close();
    await botFramework.close();
    if (databases.length > 0) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

// ---------- main ----------

function table(title: string, rows: Row[]): string {
  const header = "| metric | value | × floor | target |\n| --- | --- | --- | --- |";
  return `### ${title}\n\n${header}\n${rows.map((r) => `| ${r.metric} | ${r.value} | ${r.ofFloor ?? ""} | ${r.target ?? ""} |`).join("\n")}\n`;
}

const startedAt = new Date();
const loadBefore = os.loadavg();
const sections: string[] = [];
if (ONLY_DATABASE !== "postgres") sections.push(table("embedded PGlite", await benchDatabase("pglite")));
const adminUrl = process.env.BATON_BENCH_POSTGRES_URL;
if (!QUICK && adminUrl && ONLY_DATABASE !== "pglite")
  sections.push(table("PostgreSQL", await benchDatabase("postgres", adminUrl)));
const loadAfter = os.loadavg();
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
const report = [
  `# Baton bench${QUICK ? " (quick)" : ""}${PARTIAL ? ` (partial: ${process.argv.slice(2).join(" ")})` : ""}: ${startedAt.toISOString()}`,
  "",
  `Machine: ${machine}. Load average (1 min) ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after${
    Math.max(loadBefore[0], loadAfter[0]) > os.cpus().length
      ? ": above the core count, other work shared the CPUs and the figures are pessimistic."
      : " (the bench's own processes count in it)."
  }`,
  "",
  ...sections,
].join("\n");
console.log(report);
const resultsDir = path.join(REPO_ROOT, "bench/results");
fs.mkdirSync(resultsDir, { recursive: true });
const file = path.join(
  resultsDir,
  `${startedAt.toISOString().replace(/[:.]/g, "-")}${QUICK ? "-quick" : ""}${PARTIAL ? "-partial" : ""}.md`,
);
fs.writeFileSync(file, `${report}\n`);
console.log(`written to ${path.relative(REPO_ROOT, file)}`);
process.exit(0);
