/**
 * The real thing, as a child process (`node --import tsx src/main.ts`, as `npm start` runs it) on PostgreSQL,
 * against a fake Slack Web API served over HTTP by this test:
 * - killed with SIGKILL after Slack answered a card's post and before the outbox marked it sent, then started again:
 *   the card exists once in Slack;
 * - stopped with SIGTERM while a card's post is in flight: /readyz answers 503 while it drains, the delivery
 *   finishes and is recorded, and the process exits 0.
 * The moment of the kill is made exact, not raced: the test holds a row lock on the outbox message while Slack
 * answers, so the child's "mark sent" waits on it, and kills once PostgreSQL shows that wait.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { INTAKE_SIGNING_SECRET, intakeSignatureHeaders, SLACK_SIGNING_SECRET } from "../slack/slack-test-kit.ts";
import { createTestDatabase, POSTGRES_ADMIN_URL } from "../support/databases.ts";

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const CHANNEL = "C0EMEA";
/** Generous: two cores shared with the rest of the suite. */
const STEP_TIMEOUT_MS = 60_000;

interface PostedCard {
  channel: string;
  ts: string;
  outboxId?: string;
}

/** Slack's Web API as far as Baton's outbox uses it, over real HTTP; `beforeAnswer` may hold a post's answer. */
async function startFakeSlack(beforeAnswer: (card: PostedCard) => Promise<void>) {
  const posted: PostedCard[] = [];
  const calls: string[] = [];
  let sequence = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", async () => {
      const method = (req.url ?? "").replace("/api/", "");
      calls.push(method);
      const args = Object.fromEntries(new URLSearchParams(body));
      const reply = (answer: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
      };
      if (method === "chat.postMessage") {
        const metadata = args.metadata ? JSON.parse(args.metadata) : undefined;
        const card = {
          channel: args.channel,
          ts: `1764064800.${String(++sequence).padStart(6, "0")}`,
          outboxId: metadata?.event_payload?.outbox_id,
        };
        posted.push(card);
        await beforeAnswer(card);
        return reply({ ok: true, channel: card.channel, ts: card.ts });
      }
      if (method === "conversations.history") {
        const messages = posted
          .filter((card) => card.channel === args.channel)
          .reverse()
          .map((card) => ({
            type: "message",
            ts: card.ts,
            ...(args.include_all_metadata === "true"
              ? { metadata: { event_type: "baton_outbox", event_payload: { outbox_id: card.outboxId } } }
              : {}),
          }));
        return reply({ ok: true, messages, has_more: false });
      }
      return reply({ ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/`, posted, calls, close: () => server.close() };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const CONFIG = `
teams:
  - id: emea-sales
    name: EMEA Sales
    channel: "slack:${CHANNEL}"
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    reps: [{ id: ada, name: Ada Lovelace, slackUserId: U000ADA }]
routing: { fallbackTeam: emea-sales }
`;

const children: ChildProcess[] = [];
const tempDirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function spawnBaton(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.homedir(), LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, port: Number(env.PORT), output: () => output, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, output = () => ""): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}\n${output()}`);
}

const readyz = (port: number) =>
  fetch(`http://127.0.0.1:${port}/readyz`).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { status: string },
  }));

async function startBaton(env: Record<string, string>) {
  const baton = spawnBaton({ ...env, PORT: String(await freePort()) });
  await until("Baton to be ready", async () => (await readyz(baton.port)).status === 200, baton.output);
  return baton;
}

async function sendMql(port: number, externalId: string) {
  const body = JSON.stringify({
    source: "hubspot",
    externalId,
    email: `${externalId}@analytical.example`,
    firstName: "Ada",
    company: "Analytical Engines",
  });
  const response = await fetch(`http://127.0.0.1:${port}/webhooks/mql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...intakeSignatureHeaders(body) },
    body,
  });
  expect(response.status, await response.clone().text()).toBe(202);
  return ((await response.json()) as { leadId: string }).leadId;
}

describe.skipIf(!POSTGRES_ADMIN_URL)("a Baton process killed or stopped mid-delivery [postgres]", () => {
  let db: Database;
  let databaseUrl: string;
  const env = (slackUrl: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-sigkill-"));
    tempDirs.push(dir);
    fs.writeFileSync(path.join(dir, "baton.config.yaml"), CONFIG);
    return {
      DATABASE_URL: databaseUrl,
      BATON_CONFIG: path.join(dir, "baton.config.yaml"),
      SLACK_BOT_TOKEN: "xoxb-sigkill-test",
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slackUrl,
      INTAKE_SIGNING_SECRET,
    };
  };
  const outboxRow = async (leadId: string) =>
    db.prisma.outboxMessage.findFirst({ where: { leadId, kind: "post" }, orderBy: { sequence: "asc" } });

  afterEach(async () => {
    await db?.close();
  });

  it(
    "SIGKILL after Slack answered and before 'sent': after the restart the card exists once",
    async () => {
      db = await createTestDatabase("postgres");
      databaseUrl = (db.migrationTarget as { databaseUrl: string }).databaseUrl;
      const locker = new pg.Client({ connectionString: databaseUrl });
      await locker.connect();
      let held = false;
      let activity: unknown[] = [];
      const slack = await startFakeSlack(async (card) => {
        if (held || !card.outboxId) return;
        held = true;
        // From here on the child's UPDATE marking the message sent waits for this transaction.
        await locker.query("BEGIN");
        await locker.query(`SELECT id FROM "OutboxMessage" WHERE id = $1 FOR UPDATE`, [card.outboxId]);
      });
      try {
        const first = await startBaton(env(slack.url));
        const leadId = await sendMql(first.port, "crash-1");
        // Slack answered; the child is blocked writing "sent". Kill it there.
        await until(
          "the child to wait on the outbox row",
          async () => {
            const { rows } = await locker.query(
              `SELECT state, wait_event_type, query FROM pg_stat_activity
               WHERE datname = current_database() AND pid <> pg_backend_pid()`,
            );
            activity = rows;
            // Only the child shares this database; the query text shown for a waiting statement is not reliable.
            return rows.some((row) => row.wait_event_type === "Lock");
          },
          () => `${first.output()}\nslack calls: ${slack.calls.join(", ")}\nheld: ${held}\n${JSON.stringify(activity)}`,
        );
        first.child.kill("SIGKILL");
        expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
        await locker.query("ROLLBACK");
        expect(slack.posted).toHaveLength(1);
        const orphan = await outboxRow(leadId);
        expect(orphan).toMatchObject({ status: "pending" });
        expect(orphan?.attemptStartedAt).not.toBeNull();
        // The dead process's lease would run out after two minutes: let that time pass.
        await db.prisma.outboxMessage.update({
          where: { id: orphan?.id },
          data: { lockedUntil: new Date(Date.now() - 1_000) },
        });

        const second = await startBaton(env(slack.url));
        const sent = await until(
          "the card to be marked sent",
          async () => {
            const row = await outboxRow(leadId);
            return row?.status === "sent" ? row : undefined;
          },
          second.output,
        );
        expect(slack.posted.filter((card) => card.channel === CHANNEL)).toHaveLength(1);
        expect(slack.calls).toContain("conversations.history");
        expect(sent.result).toEqual({ conversation: `slack:${CHANNEL}`, messageId: slack.posted[0].ts });
        const offer = await db.prisma.offer.findFirstOrThrow({ where: { leadId } });
        expect(offer.messageRef).toBe(slack.posted[0].ts);
        expect(second.output()).toContain("delivered by an earlier attempt: not posted again");
        second.child.kill("SIGTERM");
        expect((await second.exited).code).toBe(0);
      } finally {
        slack.close();
        await locker.end();
      }
    },
    4 * STEP_TIMEOUT_MS,
  );

  it(
    "SIGTERM while a card is being posted: /readyz 503 while draining, the delivery finishes, exit 0",
    async () => {
      db = await createTestDatabase("postgres");
      databaseUrl = (db.migrationTarget as { databaseUrl: string }).databaseUrl;
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let inFlight = false;
      const slack = await startFakeSlack(async () => {
        inFlight = true;
        await released;
      });
      try {
        const baton = await startBaton(env(slack.url));
        const leadId = await sendMql(baton.port, "drain-1");
        await until("the post to be in flight", async () => inFlight, baton.output);
        baton.child.kill("SIGTERM");
        const draining = await until(
          "/readyz to answer 503",
          async () => {
            const answer = await readyz(baton.port);
            return answer.status === 503 ? answer : undefined;
          },
          baton.output,
        );
        expect(draining.body.status).toMatch(/draining/);
        expect(baton.child.exitCode).toBeNull();
        release();
        expect((await baton.exited).code).toBe(0);
        expect(await outboxRow(leadId)).toMatchObject({ status: "sent", result: { messageId: slack.posted[0].ts } });
        expect(slack.posted).toHaveLength(1);
      } finally {
        release();
        slack.close();
      }
    },
    3 * STEP_TIMEOUT_MS,
  );
});
