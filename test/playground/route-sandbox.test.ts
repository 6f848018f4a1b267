/**
 * The routing sandbox and `npm run route` give the same answer for the README's example MQLs, on the same database
 * at the same moment, with some history (an earlier offer) so that round-robin has something to remember.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateOnStartup, openDatabase } from "../../src/db/database.ts";
import { SAMPLE_MQLS } from "../../src/playground/sample-mqls.ts";
import { startTestBaton } from "../support/start-baton.ts";

const run = promisify(execFile);
const README = fs.readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
/** Wednesday 10:00 in London: inside the example teams' working hours. */
const AT = "2026-11-25T10:00:00Z";

/** The MQLs the README shows as ```json blocks. */
function readmeMqls(): Record<string, unknown>[] {
  return [...README.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((match) => JSON.parse(match[1]) as Record<string, unknown>)
    .filter((value) => typeof value.email === "string" && typeof value.externalId === "string");
}

/** Posts to the playground as its page does. */
async function sandbox(url: string, mql: unknown) {
  const response = await fetch(`${url}/playground/route`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mql: JSON.stringify(mql) }),
  });
  return { status: response.status, body: (await response.json()) as { text: string; message?: string } };
}

describe("routing sandbox and npm run route", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-route-"));
  const examples = readmeMqls();
  const sandboxAnswers: string[] = [];

  beforeAll(async () => {
    const db = await openDatabase({ kind: "pglite", dataDir });
    await migrateOnStartup(db, { kind: "pglite", dataDir });
    const baton = await startTestBaton({ db, now: () => new Date(AT) });
    try {
      // History: one lead already offered (round-robin now prefers someone else in that team).
      const earlier = await fetch(`${baton.url}/webhooks/mql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...examples[0], externalId: "earlier-1", email: "earlier@example.com" }),
      });
      expect(earlier.status).toBe(202);
      const leadsBefore = await db.prisma.lead.count();
      for (const mql of examples) {
        const answer = await sandbox(baton.url, mql);
        expect(answer.status).toBe(200);
        sandboxAnswers.push(answer.body.text);
      }
      expect(await db.prisma.lead.count()).toBe(leadsBefore);
    } finally {
      await baton.stop();
    }
  });

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("reads the README's examples, which are the page's samples", () => {
    expect(examples).toEqual(SAMPLE_MQLS.map((sample) => sample.mql));
  });

  it("answers each as the command does, rule, team, rep and why", async () => {
    const files = examples.map((mql, index) => {
      const file = path.join(dataDir, `example-${index + 1}.json`);
      fs.writeFileSync(file, JSON.stringify(mql));
      return file;
    });
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/route.ts", ...files, "--at", AT], {
      cwd: path.join(import.meta.dirname, "../.."),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BATON_DATA_DIR: dataDir },
    });
    const expected = files.map((file, index) => `${file}:\n${sandboxAnswers[index]}`).join("\n\n");
    expect(stdout).toBe(`${expected}\n`);
    // The answers are the routing the README promises, not merely equal to each other.
    expect(sandboxAnswers.map((answer) => answer.split("\n")[1])).toEqual([
      "rule: emea-mid-market",
      "rule: na-enterprise",
      "rule: hot-inbound",
      "rule: named-account",
    ]);
    // The earlier offer went to Ada: round-robin suggests Charles for the next EMEA lead.
    expect(sandboxAnswers[0]).toContain("rep:  Charles Babbage (charles)");
  });

  it("refuses an invalid MQL with the intake's own message", async () => {
    const db = await openDatabase({ kind: "pglite", dataDir });
    const baton = await startTestBaton({ db, now: () => new Date(AT) });
    try {
      const answer = await sandbox(baton.url, { source: "hubspot" });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe("Invalid MQL: externalId is required; email is required");
    } finally {
      await baton.stop();
    }
  });
});
