/**
 * Exactly one agenda per scope and week: two Batons (two JobRunners) on one database post it once, with the chart
 * uploaded into its Slack thread through the external upload API; a restart after the slot posts it once, late,
 * saying so; and a new install's agenda says how to connect the marketing system.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BatonConfig } from "../../src/config/baton-config.ts";
import { weeklyAgendaCatchUpJob } from "../../src/jobs/weekly-agenda.ts";
import { readSlackBlocks, type SlackBlock } from "../../src/slack/render-blocks.ts";
import { fakeSlackApi, SLACK_ENV, slackTestConfig } from "../slack/slack-test-kit.ts";
import { createTestDatabase, ENGINES } from "../support/databases.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

const AGENDA_CHANNEL = "C0AGENDA";
const MONDAY_NINE = new Date("2027-01-04T09:00:00Z");
/** The Batons' clock: a little after the slot, so what the run queued is due. */
const clock = () => new Date(MONDAY_NINE.getTime() + 2 * 60_000);
const config = (): BatonConfig => ({
  ...slackTestConfig(),
  agenda: { schedule: "0 9 * * MON", timezone: "Europe/London", channel: `slack:${AGENDA_CHANNEL}` },
});

for (const engine of ENGINES) {
  describe(`the weekly agenda job [${engine}]`, () => {
    let started: TestBaton[] = [];
    let slack: ReturnType<typeof fakeSlackApi>;

    beforeEach(() => {
      nock.cleanAll();
      nock.disableNetConnect();
      nock.enableNetConnect("127.0.0.1");
      slack = fakeSlackApi();
      started = [];
    });
    afterEach(async () => {
      for (const t of started.reverse()) await t.stop();
      nock.cleanAll();
      nock.enableNetConnect();
    });

    const start = async (options: Parameters<typeof startTestBaton>[0]) => {
      const t = await startTestBaton({ env: SLACK_ENV, batonConfig: config(), ...options });
      started.push(t);
      return t;
    };
    const agendaPosts = () => slack.callsTo("chat.postMessage").filter((call) => call.args.channel === AGENDA_CHANNEL);

    it("two schedulers on one database post the week's agenda once", async () => {
      const db = await createTestDatabase(engine);
      const first = await start({ db, now: clock });
      const second = await start({ db, now: clock });
      const [jobA] = first.baton.weeklyAgendas();
      const [jobB] = second.baton.weeklyAgendas();
      expect(jobA.id).toBe("weekly-agenda:joint");
      const outcomes = await Promise.all([
        first.baton.jobs.runOnce(jobA, MONDAY_NINE),
        second.baton.jobs.runOnce(jobB, MONDAY_NINE),
      ]);
      expect(outcomes.sort()).toEqual(["ran", "skipped"]);
      // Even a run that got past the slot (a replica whose JobRun row was lost) finds the week's agenda posted.
      await jobB.run({ now: new Date(MONDAY_NINE.getTime() + 60_000) });
      expect(await db.prisma.weeklyAgenda.count()).toBe(1);
      await first.baton.outbox.drain();
      await second.baton.outbox.drain();

      expect(agendaPosts()).toHaveLength(1);
      const seen = readSlackBlocks(agendaPosts()[0].args.blocks as SlackBlock[]);
      expect(seen).toContain("Test Corp sales & marketing: weekly agenda, week of 2027-01-04");
      expect(seen).toContain("No MQLs yet: here is how to connect your marketing system.");
      expect(seen).not.toContain("Posted late");
      // A new install has no funnel to draw: no chart.
      expect(slack.callsTo("files.getUploadURLExternal")).toHaveLength(0);
    });

    it("uploads the funnel chart into the agenda's thread with the external upload API", async () => {
      const db = await createTestDatabase(engine);
      const t = await start({ db, now: clock });
      await db.prisma.lead.create({
        data: { source: "hubspot", externalId: "1", email: "a@example.com", rawPayload: {}, teamId: "emea-sales" },
      });
      const [job] = t.baton.weeklyAgendas();
      expect(await t.baton.jobs.runOnce(job, MONDAY_NINE)).toBe("ran");
      await t.baton.outbox.drain();
      expect(agendaPosts()).toHaveLength(1);
      const ts = agendaPosts()[0].response?.ts;
      const urlCall = slack.callsTo("files.getUploadURLExternal");
      expect(urlCall).toHaveLength(1);
      expect(urlCall[0].args).toMatchObject({ filename: "funnel-2027-01-04.png" });
      expect(Number(urlCall[0].args.length)).toBeGreaterThan(5_000);
      expect(slack.uploads).toHaveLength(1);
      const complete = slack.callsTo("files.completeUploadExternal");
      expect(complete).toHaveLength(1);
      expect(complete[0].args).toMatchObject({ channel_id: AGENDA_CHANNEL, thread_ts: ts });
      expect(await db.prisma.weeklyAgenda.findFirstOrThrow()).toMatchObject({
        conversation: `slack:${AGENDA_CHANNEL}`,
        messageRef: ts,
      });
    });

    it("a restart after the slot posts the missed agenda once, saying it is late", async () => {
      const db = await createTestDatabase(engine);
      // Baton ran the week before (a job run is on record), then was down at Monday 09:00.
      await db.prisma.jobRun.create({
        data: { job: "sla-sweep", runKey: "2026-12-28T10:00", startedAt: new Date("2026-12-28T10:00:00Z") },
      });
      const restartedAt = new Date("2027-01-04T11:30:00Z");
      const t = await start({ db, now: () => restartedAt });
      t.baton.startJobs();
      await expect.poll(() => db.prisma.weeklyAgenda.count(), { timeout: 10_000 }).toBe(1);
      await t.baton.stopJobs();
      // And a second restart the same week finds it posted.
      const again = await start({ db, now: () => new Date("2027-01-04T12:00:00Z") });
      again.baton.startJobs();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await again.baton.stopJobs();
      await again.baton.outbox.drain();

      const agenda = await db.prisma.weeklyAgenda.findFirstOrThrow();
      expect(agenda).toMatchObject({ scope: "joint", postedLate: true, conversation: `slack:${AGENDA_CHANNEL}` });
      expect(agendaPosts()).toHaveLength(1);
      expect(readSlackBlocks(agendaPosts()[0].args.blocks as SlackBlock[])).toContain(
        "Posted late: Baton was not running when this agenda was due.",
      );
    });

    it("a run that failed at its time is retried by the catch-up within minutes, once", async () => {
      const db = await createTestDatabase(engine);
      await db.prisma.jobRun.createMany({
        data: [
          { job: "sla-sweep", runKey: "2027-01-04T08:59", startedAt: new Date("2027-01-04T08:59:00Z") },
          // The 09:00 run failed (the database was away); nothing was posted.
          { job: "weekly-agenda:joint", runKey: "joint:2027-01-04", startedAt: MONDAY_NINE, error: "connection lost" },
        ],
      });
      const at = new Date("2027-01-04T09:10:30Z");
      const t = await start({ db, now: () => at });
      const catchUp = weeklyAgendaCatchUpJob(db.prisma, t.baton.weeklyAgendas, (agenda, now) =>
        t.baton.jobs.runOnce(agenda, now),
      );
      await t.baton.jobs.runOnce(catchUp, at);
      await t.baton.jobs.runOnce(catchUp, new Date(at.getTime() + 10 * 60_000));
      await t.baton.outbox.drain();
      expect(await db.prisma.weeklyAgenda.findFirstOrThrow()).toMatchObject({ postedLate: true });
      expect(agendaPosts()).toHaveLength(1);
      expect(await db.prisma.jobRun.findFirstOrThrow({ where: { job: "weekly-agenda:joint" } })).toMatchObject({
        error: null,
        finishedAt: expect.any(Date),
      });
    });
  });
}
