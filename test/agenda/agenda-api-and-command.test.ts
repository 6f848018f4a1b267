/**
 * The agenda as data (`GET /api/agenda`, CONTRACT.md's shape, behind the read API's bearer token) and in chat
 * (`agenda [team]` previews privately; `agenda post [team]` posts now, admins only, once a week).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { BatonConfig } from "../../src/config/baton-config.ts";
import { slackTestConfig } from "../slack/slack-test-kit.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";
import { seedAgendaQuarter } from "./agenda-quarter-seed.ts";

const TOKEN = "agenda-api-test-token-0123456789";
/** Wednesday of the agenda's week: the agenda of the week of Monday 2026-11-23. */
const WEDNESDAY = new Date("2026-11-25T10:00:00Z");

describe("the agenda over the read API and in chat", () => {
  let t: TestBaton | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });
  const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${t?.url}${path}`, { headers });

  it("GET /api/agenda answers the week's agenda as data; 401 without the token, 400 naming a bad parameter", async () => {
    t = await startTestBaton({ env: { BATON_API_TOKEN: TOKEN }, batonConfig: slackTestConfig(), now: () => WEDNESDAY });
    await seedAgendaQuarter(t.db.prisma, { faults: true });

    expect((await get("/api/agenda", {})).status).toBe(401);
    const badTeam = await get("/api/agenda?team=apac");
    expect(badTeam.status).toBe(400);
    expect(await badTeam.json()).toMatchObject({
      details: { team: 'Unknown team "apac": use one of emea-sales, na-sales.' },
    });
    const badParameter = await get("/api/agenda?period=qtd");
    expect(badParameter.status).toBe(400);
    expect(await badParameter.json()).toMatchObject({ details: { period: 'Unknown parameter "period": use team.' } });

    const response = await get("/api/agenda");
    expect(response.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: the body is checked field by field
    const body: any = await response.json();
    expect(body).toMatchObject({ team: null, weekStart: "2026-11-23" });
    expect(body.items.length).toBeGreaterThan(0);
    for (const item of body.items) {
      expect(Object.keys(item)).toEqual(expect.arrayContaining(["section", "title", "owner", "evidence", "leadIds"]));
      expect(["opportunity", "issue", "action"]).toContain(item.section);
      expect(item.leadIds).toBeInstanceOf(Array);
    }
    expect(body.items.filter((item: { section: string }) => item.section !== "action").length).toBeLessThanOrEqual(10);
    expect(body.items.map((item: { title: string }) => item.title)).toEqual(
      expect.arrayContaining(["Charles Babbage: 5 SLA breaches last week"]),
    );
    expect(body.kpis).toMatchObject({ mqls: expect.any(Number), acceptanceRate: expect.any(Number) });

    const team = await get("/api/agenda?team=na-sales");
    // biome-ignore lint/suspicious/noExplicitAny: the body is checked field by field
    const teamBody: any = await team.json();
    expect(teamBody.team).toBe("na-sales");
    expect(teamBody.items.map((item: { title: string }) => item.title)).not.toContain(
      "Charles Babbage: 5 SLA breaches last week",
    );
  });

  it("agenda previews privately; agenda post is for admins and posts once a week", async () => {
    const config: BatonConfig = {
      ...slackTestConfig(),
      agenda: { schedule: "0 9 * * MON", channel: "console:revenue-weekly" },
      admins: ["slack:U000GRACE"],
    };
    t = await startTestBaton({ batonConfig: config, now: () => WEDNESDAY });
    await seedAgendaQuarter(t.db.prisma, { faults: true });
    const answer = t.baton.answerCommand;

    const preview = await answer("agenda", "slack:U000ADA");
    expect(preview.text).toMatch(/^Test Corp sales & marketing: weekly agenda, week of 2026-11-23: \d+ opportunities/);
    expect(JSON.stringify(preview.blocks)).toContain("Preview: only you can see this.");
    expect((await answer("agenda EMEA Sales", "slack:U000ADA")).text).toMatch(/^EMEA Sales: weekly agenda/);
    expect((await answer("agenda apac", "slack:U000ADA")).text).toBe(
      "No team matches “apac”. Teams: emea-sales, na-sales.",
    );
    expect(await t.db.prisma.weeklyAgenda.count()).toBe(0);

    expect((await answer("agenda post", "slack:U000ADA")).text).toBe(
      "Only Baton admins can post the agenda (see admins in the configuration file); agenda previews it.",
    );
    expect((await answer("agenda post emea-sales", "slack:U000GRACE")).text).toBe(
      "EMEA Sales has no agenda of its own: add agenda: {} (or a schedule and channel) to the team in the configuration file.",
    );
    expect((await answer("agenda post", "slack:U000GRACE")).text).toBe(
      "Posted the agenda of the week of 2026-11-23 to console:revenue-weekly.",
    );
    expect((await answer("agenda post", "slack:U000GRACE")).text).toBe(
      "The agenda of the week of 2026-11-23 was already posted to console:revenue-weekly; it is posted once a week.",
    );
    await t.baton.outbox.drain();
    const printed = t.consoleOutput.join("\n");
    expect(printed).toContain("TEST CORP SALES & MARKETING: WEEKLY AGENDA, WEEK OF 2026-11-23");
    expect(printed).toContain("EMEA accept → first touch slowed down");
    const agenda = await t.db.prisma.weeklyAgenda.findFirstOrThrow();
    expect(agenda).toMatchObject({ scope: "joint", postedLate: false, conversation: "console:revenue-weekly" });
  });
});
