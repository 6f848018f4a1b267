/**
 * `npm start` as a user runs it: a child process with a bare environment (PATH and HOME only, plus what each case
 * sets). Slow (each start migrates a database), so kept to this one file.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { MIGRATIONS_DIR } from "../../src/db/schema-engine.ts";
import { envelope, startFakeSocketMode } from "../slack/fake-socket-mode.ts";
import { createEmptyPostgresDatabase, POSTGRES_ADMIN_URL } from "../support/databases.ts";

const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
/**
 * A first start on a quiet machine is ready in well under 30 s (the bar; PGlite's initdb is most of it).
 * While the rest of the suite keeps both cores busy it can take several times that, so the test waits longer rather
 * than fail on machine load: it checks that Baton gets ready, not how fast.
 */
const STARTUP_TIMEOUT_MS = 120_000;

interface Baton {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; stderr: string }>;
}

const tempDirs: string[] = [];

/** Process groups of everything spawned, killed after each test: a failed test must not leave a Baton running. */
const processGroups: number[] = [];
afterEach(() => {
  for (const group of processGroups.splice(0)) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // already gone
    }
  }
});
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-startup-"));
  tempDirs.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts what `npm start` runs, or `npm start` itself with `viaNpm` (a supervisor stopping it signals npm, and the
 * signal must still reach Baton). Never inherit the test runner's environment: DATABASE_URL or chat credentials
 * would change what starts.
 */
function spawnBaton(env: Record<string, string>, options: { viaNpm?: boolean } = {}): Baton {
  const [command, args] = options.viaNpm
    ? ["npm", ["start", "--silent"]]
    : [process.execPath, ["--import", "tsx", "src/main.ts"]];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.homedir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that clean-up can kill whatever npm started too.
    detached: true,
  });
  if (child.pid) processGroups.push(child.pid);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stderr })),
  );
  const baton = { child, port: Number(env.PORT ?? 3000), output: () => stdout + stderr, exited };
  return baton;
}

/** Resolves once /healthz and /readyz both answer 200; fails if the process exits or STARTUP_TIMEOUT_MS pass. */
async function untilReady(baton: Baton): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let exitedEarly = false;
  void baton.exited.then(() => {
    exitedEarly = true;
  });
  while (Date.now() < deadline && !exitedEarly) {
    try {
      const [health, ready] = await Promise.all(
        ["/healthz", "/readyz"].map((route) => fetch(`http://127.0.0.1:${baton.port}${route}`)),
      );
      if (health.status === 200 && ready.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `Baton was not ready within ${STARTUP_TIMEOUT_MS / 1000} s${exitedEarly ? " (it exited)" : ""}:\n${baton.output()}`,
  );
}

async function stop(baton: Baton): Promise<number | null> {
  baton.child.kill("SIGTERM");
  const { code } = await baton.exited;
  expect(code, baton.output()).toBe(0);
  return code;
}

async function expectStartupRefused(env: Record<string, string>, culprit: string) {
  const { code, stderr } = await spawnBaton(env).exited;
  expect(code).toBe(1);
  const lines = stderr.split("\n").filter((line) => line.trim() !== "");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toContain(culprit);
}

function migrationNames(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function postLead(baton: Baton, externalId: string) {
  const response = await fetch(`http://127.0.0.1:${baton.port}/webhooks/mql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ source: "startup-test", externalId, email: "ada@example.com", company: "Analytical" }),
  });
  expect(response.status, await response.clone().text()).toBe(202);
  return (await response.json()) as { leadId: string };
}

describe("start-up refuses bad configuration with one line naming the culprit", () => {
  it("bad PORT", async () => {
    await expectStartupRefused({ PORT: "abc", BATON_DATA_DIR: tempDir() }, "PORT");
  });

  it("bad DATABASE_URL", async () => {
    await expectStartupRefused({ PORT: String(await freePort()), DATABASE_URL: "mysql://x" }, "DATABASE_URL");
  });

  it("unreachable DATABASE_URL", async () => {
    await expectStartupRefused(
      { PORT: String(await freePort()), DATABASE_URL: "postgresql://127.0.0.1:1/x" },
      "DATABASE_URL",
    );
  });

  it("a YAML config with a wrong time zone", async () => {
    const dir = tempDir();
    const example = fs.readFileSync(path.join(REPO_ROOT, "baton.config.example.yaml"), "utf8");
    const broken = example.replace(/^(\s+timezone:\s*)Europe\/London\s*$/m, "$1Europe/Londn");
    expect(broken).not.toBe(example);
    fs.writeFileSync(path.join(dir, "baton.yaml"), broken);
    await expectStartupRefused(
      { PORT: String(await freePort()), BATON_DATA_DIR: dir, BATON_CONFIG: path.join(dir, "baton.yaml") },
      "teams[0].timezone",
    );
  });
});

describe("start-up on the embedded database", () => {
  it(
    "serves with no configuration, keeps a second process out of its data, stops on SIGTERM (also through npm start), and keeps its data across a restart",
    async () => {
      const dataDir = tempDir();
      const first = spawnBaton({ PORT: String(await freePort()), BATON_DATA_DIR: dataDir });
      await untilReady(first);
      // Local mode: the start-up lines point at the playground, which answers there. The line follows the one
      // before it on the pipe, possibly in a later chunk than ready's answer: waited for, not expected at once.
      await vi.waitFor(() =>
        expect(first.output()).toContain(
          `"msg":"Playground: open http://localhost:${first.port}/ in a browser (this machine only)"`,
        ),
      );
      expect((await fetch(`http://127.0.0.1:${first.port}/`)).status).toBe(200);
      const { leadId } = await postLead(first, "persisted-1");
      // PGlite has no lock of its own: a second process on the same folder would corrupt it.
      await expectStartupRefused({ PORT: String(await freePort()), BATON_DATA_DIR: dataDir }, "BATON_DATA_DIR");
      expect(await stop(first)).toBe(0);

      const second = spawnBaton({ PORT: String(await freePort()), BATON_DATA_DIR: dataDir }, { viaNpm: true });
      await untilReady(second);
      expect(second.output()).toContain("database schema up to date");
      expect(await stop(second)).toBe(0);
      // SIGTERM went to npm; Baton itself shut down cleanly rather than being orphaned by npm's shell.
      expect(second.output()).toContain('"msg":"stopped"');

      const pglite = await PGlite.create(path.join(dataDir, "pglite"));
      try {
        const leads = await pglite.query<{ externalId: string }>(`SELECT "externalId" FROM "Lead" WHERE id = $1`, [
          leadId,
        ]);
        expect(leads.rows).toEqual([{ externalId: "persisted-1" }]);
      } finally {
        await pglite.close();
      }
    },
    3 * STARTUP_TIMEOUT_MS,
  );
});

describe.skipIf(!POSTGRES_ADMIN_URL)("start-up on PostgreSQL", () => {
  it(
    "migrates an empty database and serves; a second start applies nothing",
    async () => {
      const database = await createEmptyPostgresDatabase();
      try {
        const first = spawnBaton({ PORT: String(await freePort()), DATABASE_URL: database.url });
        await untilReady(first);
        expect(first.output()).toContain("migrations applied");
        expect(await stop(first)).toBe(0);

        const second = spawnBaton({ PORT: String(await freePort()), DATABASE_URL: database.url });
        await untilReady(second);
        expect(second.output()).toContain("database schema up to date");
        expect(await stop(second)).toBe(0);

        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        try {
          const { rows } = await client.query(
            "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
          );
          expect(rows.map((row) => row.migration_name)).toEqual(migrationNames());
        } finally {
          await client.end();
        }
      } finally {
        await database.drop();
      }
    },
    3 * STARTUP_TIMEOUT_MS,
  );
});

describe("start-up with Slack in Socket Mode", () => {
  const SOCKET_MODE_ENV = {
    SLACK_BOT_TOKEN: "xoxb-startup-bot-token",
    SLACK_APP_TOKEN: "xapp-1-A0BATON01-1-startup-app-token",
    INTAKE_SIGNING_SECRET: "startup-intake-secret",
  };

  it(
    "needs no signing secret, says so in its first lines, connects out, answers over the socket and serves nothing at /slack/events",
    async () => {
      // Slack cannot be reached from here: SLACK_API_URL points `apps.connections.open` at a local fake instead.
      const fake = await startFakeSocketMode();
      try {
        const baton = spawnBaton({
          ...SOCKET_MODE_ENV,
          SLACK_API_URL: fake.apiUrl,
          PORT: String(await freePort()),
          BATON_DATA_DIR: tempDir(),
        });
        // Ready means connected too: /readyz is 503 until Slack's hello.
        await untilReady(baton);
        expect(fake.connectionsOpened).toBe(1);

        const lines = baton.output().split("\n");
        const modeLine = lines.findIndex((line) => line.includes("Slack in Socket Mode"));
        expect(modeLine, baton.output()).toBeGreaterThanOrEqual(0);
        expect(modeLine).toBeLessThan(3);
        expect(lines[modeLine]).toContain("nothing is served at /slack/events");

        const command = envelope("slash_commands", {
          command: "/baton",
          text: "help",
          user_id: "U000ADA",
          user_name: "ada.lovelace",
          channel_id: "C0EMEA",
          team_id: "T0TESTTEAM",
          api_app_id: "A0BATON01",
          response_url: "https://hooks.slack.com/commands/T0TESTTEAM/1/secret",
          trigger_id: "1.2.3",
        });
        fake.send(command);
        const [ack] = await fake.acksOf(command.envelope_id);
        expect(ack.payload).toMatchObject({ response_type: "ephemeral" });

        const body = "payload=%7B%22type%22%3A%22block_actions%22%7D";
        const timestamp = Math.floor(Date.now() / 1000);
        const signature = createHmac("sha256", "any-signing-secret").update(`v0:${timestamp}:${body}`).digest("hex");
        const response = await fetch(`http://127.0.0.1:${baton.port}/slack/events`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": String(timestamp),
            "x-slack-signature": `v0=${signature}`,
          },
          body,
        });
        expect(response.status).toBe(404);

        expect(await stop(baton)).toBe(0);
        expect(fake.openConnections()).toBe(0);
      } finally {
        await fake.close();
      }
    },
    2 * STARTUP_TIMEOUT_MS,
  );

  it(
    "stops with one line naming SLACK_APP_TOKEN when Slack refuses the token",
    async () => {
      const fake = await startFakeSocketMode();
      fake.refuseConnections("invalid_auth");
      try {
        const baton = spawnBaton({
          ...SOCKET_MODE_ENV,
          SLACK_API_URL: fake.apiUrl,
          PORT: String(await freePort()),
          BATON_DATA_DIR: tempDir(),
        });
        const { code, stderr } = await baton.exited;
        expect(code, baton.output()).toBe(1);
        const lines = stderr.split("\n").filter((line) => line.trim() !== "");
        expect(lines, stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/^baton: SLACK_APP_TOKEN: Slack refused the app-level token \(invalid_auth\)/);
        expect(stderr).not.toContain(SOCKET_MODE_ENV.SLACK_APP_TOKEN);
      } finally {
        await fake.close();
      }
    },
    2 * STARTUP_TIMEOUT_MS,
  );
});
