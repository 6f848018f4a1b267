import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import type { Job } from "../../src/jobs/job.ts";
import { JobRunner } from "../../src/jobs/job-runner.ts";
import { STALE_RUN_MS } from "../../src/jobs/job-runs.ts";
import { createTestDatabase, describeEachDatabase, POSTGRES_ADMIN_URL, postgresUrl } from "../support/databases.ts";

const logger = pino({ level: "silent" });
const NOW = new Date("2026-11-30T09:00:00Z");

/** A weekly job that counts its runs; `fail` makes the next run throw. */
function weeklyJob(state = { runs: 0, fail: false }) {
  const job: Job = {
    id: "weekly-test",
    schedule: "0 9 * * MON",
    slotOf: (now) => `week-of-${now.toISOString().slice(0, 10)}`,
    async run() {
      if (state.fail) {
        state.fail = false;
        throw new Error("the chat platform said no");
      }
      state.runs += 1;
    },
  };
  return { job, state };
}

describeEachDatabase("job runner", (database) => {
  it("runs a slot once, skips it after, and runs the next slot", async () => {
    const db = await database();
    const runner = new JobRunner({ prisma: db.prisma, logger });
    const { job, state } = weeklyJob();
    expect(await runner.runOnce(job, NOW)).toBe("ran");
    expect(await runner.runOnce(job, NOW)).toBe("skipped");
    expect(await runner.runOnce(job, new Date("2026-12-07T09:00:00Z"))).toBe("ran");
    expect(state.runs).toBe(2);
    const runs = await db.prisma.jobRun.findMany({ orderBy: { runKey: "asc" } });
    expect(runs.map((run) => [run.job, run.runKey, run.finishedAt !== null, run.error])).toEqual([
      ["weekly-test", "week-of-2026-11-30", true, null],
      ["weekly-test", "week-of-2026-12-07", true, null],
    ]);
  });

  it("records a failed run and lets the slot be claimed again, once", async () => {
    const db = await database();
    const runner = new JobRunner({ prisma: db.prisma, logger });
    const { job, state } = weeklyJob({ runs: 0, fail: true });
    expect(await runner.runOnce(job, NOW)).toBe("failed");
    expect(await db.prisma.jobRun.findFirstOrThrow()).toMatchObject({
      finishedAt: null,
      error: "the chat platform said no",
    });
    expect(await runner.runOnce(job, NOW)).toBe("ran");
    expect(await runner.runOnce(job, NOW)).toBe("skipped");
    expect(state.runs).toBe(1);
  });

  it("takes over a slot whose runner vanished mid-run, but not one still within its time", async () => {
    const db = await database();
    const { job, state } = weeklyJob();
    await db.prisma.jobRun.create({ data: { job: job.id, runKey: "week-of-2026-11-30", startedAt: NOW } });
    const soon = new Date(NOW.getTime() + STALE_RUN_MS - 1_000);
    const later = new Date(NOW.getTime() + STALE_RUN_MS + 1_000);
    const runner = new JobRunner({ prisma: db.prisma, logger });
    // The slot is the run's start (Monday 09:00); what differs is when this replica looks.
    const lookAt = (at: Date) => runner.runOnce({ ...job, slotOf: () => "week-of-2026-11-30" }, at);
    expect(await lookAt(soon)).toBe("skipped");
    expect(await lookAt(later)).toBe("ran");
    expect(state.runs).toBe(1);
  });
});

describe.runIf(POSTGRES_ADMIN_URL)("job runner replicas [postgres]", () => {
  it("two runners with their own connections to one PostgreSQL, asking for the same slot at once → one run", async () => {
    const first = await createTestDatabase("postgres");
    const [{ name }] = await first.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
    let second: Database | undefined;
    try {
      second = await openDatabase({ kind: "postgres", url: postgresUrl(name) });
      const { job, state } = weeklyJob();
      const replicas = [
        new JobRunner({ prisma: first.prisma, logger }),
        new JobRunner({ prisma: second.prisma, logger }),
      ];
      // Ten ticks each, interleaved, all in the same weekly slot.
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => replicas[i % 2].runOnce(job, new Date(NOW.getTime() + i * 1_000))),
      );
      expect(state.runs).toBe(1);
      expect(outcomes.filter((outcome) => outcome === "ran")).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === "skipped")).toHaveLength(19);
      expect(await first.prisma.jobRun.count()).toBe(1);
    } finally {
      await second?.close();
      await first.close();
    }
  });
});

describe("scheduling", () => {
  it("runs a job on its cron schedule, never two runs of it at once, and waits for the run in progress on stop", async () => {
    let running = 0;
    let overlapped = false;
    let finished = 0;
    const job: Job = {
      id: "every-second",
      schedule: "* * * * * *",
      async run() {
        running += 1;
        if (running > 1) overlapped = true;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        running -= 1;
        finished += 1;
      },
    };
    const runner = new JobRunner({ prisma: {} as never, logger });
    runner.start([job]);
    await vi.waitFor(() => expect(running).toBe(1), { timeout: 5_000 });
    await runner.stop();
    expect(running).toBe(0);
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(overlapped).toBe(false);
  });
});
