import { afterEach, describe, expect, it } from "vitest";
import { INTAKE_SECRET, postSigned, prepareTestDatabases } from "../intake/intake-support.ts";
import { EMPTY_KPIS, NOW, PREVIOUS_WEEK_KPIS, WEEK, WEEK_KPIS } from "../kpi/kpi-expected.ts";
import { seedKpiFunnel } from "../kpi/kpi-seed.ts";
import { ENGINES } from "../support/databases.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

const TOKEN = "read-api-test-token-0123456789";

prepareTestDatabases(["pglite"]);

describe("GET /api/kpi", () => {
  let baton: TestBaton | undefined;
  afterEach(async () => {
    await baton?.stop();
    baton = undefined;
  });

  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
  const json = async (response: Response): Promise<any> => response.json();
  const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${baton?.url}${path}`, { headers });

  it("is off (404) while BATON_API_TOKEN is unset", async () => {
    baton = await startTestBaton({ now: () => NOW });
    const response = await get("/api/kpi?period=qtd");
    expect(response.status).toBe(404);
  });

  it("answers 401 without the bearer token or with a wrong one", async () => {
    baton = await startTestBaton({ env: { BATON_API_TOKEN: TOKEN }, now: () => NOW });
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong-token-0123456789" },
      { authorization: TOKEN },
    ];
    for (const headers of attempts) {
      const response = await get("/api/kpi", headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="baton"');
      expect(((await response.json()) as { error: string }).error).toBe("unauthorized");
    }
  });

  it("answers 400 naming the bad parameter", async () => {
    baton = await startTestBaton({ env: { BATON_API_TOKEN: TOKEN }, now: () => NOW });
    const cases = [
      [
        "period=ytd",
        "period",
        'Unknown period "ytd": use this-week, last-week, mtd, qtd, 30d, 90d or YYYY-MM-DD..YYYY-MM-DD.',
      ],
      ["period=2026-11-31..2026-12-01", "period", '"2026-11-31" is not a date: write it YYYY-MM-DD.'],
      ["team=apac", "team", 'Unknown team "apac": use one of emea-sales, na-sales, inside-sales.'],
      ["rep=nobody", "rep", 'Unknown rep "nobody".'],
      ["period=qtd&period=mtd", "period", "Give period once, as plain text."],
      ["teem=na-sales", "teem", 'Unknown parameter "teem": use period, team, rep, source, campaign.'],
    ];
    for (const [query, parameter, message] of cases) {
      const response = await get(`/api/kpi?${query}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_input", message, details: { [parameter]: message } });
    }
  });

  it("returns the seeded week's KPIs and the week before's, as JSON and as CSV", async () => {
    baton = await startTestBaton({ env: { BATON_API_TOKEN: TOKEN }, now: () => NOW });
    await seedKpiFunnel(baton.db.prisma);

    const response = await get(`/api/kpi?period=${WEEK}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      period: { from: "2026-11-16", to: "2026-11-22", timezone: "Europe/London" },
      team: null,
      kpis: WEEK_KPIS,
      previous: PREVIOUS_WEEK_KPIS,
    });

    const team = await json(await get("/api/kpi?period=last-week&team=na-sales"));
    expect(team.period).toEqual({ from: "2026-11-16", to: "2026-11-22", timezone: "America/New_York" });
    expect(team.team).toBe("na-sales");
    expect(team.kpis).toMatchObject({ mqls: 3, accepted: 2, lost: 1, winRate: 0 });

    const filtered = await json(await get(`/api/kpi?period=${WEEK}&campaign=Q4%20webinar`));
    expect(filtered.filters).toEqual({ campaign: "Q4 webinar" });
    expect(filtered.kpis).toMatchObject({ mqls: 1, costPerMql: 1200 });

    const empty = await json(await get("/api/kpi?period=2026-01-05..2026-01-11"));
    expect(empty.kpis).toEqual(EMPTY_KPIS);

    const csv = await get(`/api/kpi?period=${WEEK}`, { authorization: `Bearer ${TOKEN}`, accept: "text/csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe("attachment; filename=kpi-2026-11-16-2026-11-22.csv");
    const lines = (await csv.text()).split("\r\n");
    expect(lines.slice(0, 9)).toEqual([
      "metric,value,previous",
      "from,2026-11-16,2026-11-09",
      "to,2026-11-22,2026-11-15",
      "timezone,Europe/London,Europe/London",
      "team,,",
      "mqls,8,2",
      "accepted,5,2",
      "rejected,1,0",
      "acceptanceRate,0.8333,1",
    ]);
    expect(lines).toContain("rejectReasons.wrong_territory,1,0");
    expect(lines).toContain("winRate,0.6667,");
    expect(lines).toContain("customerLifetimeValue,69333.33,");
  });
});

// The whole way in: signed MQLs and CRM events through the webhooks, decisions through the handoff, figures out.
for (const engine of ENGINES) {
  describe(`/api/kpi after signed webhooks [${engine}]`, () => {
    let baton: TestBaton | undefined;
    afterEach(async () => {
      await baton?.stop();
      baton = undefined;
    });

    it("counts what the webhooks and the handoff recorded", async () => {
      // After the real clock: the outbox stamps enqueued messages with the wall clock, not the injected one.
      let clock = new Date("2030-03-05T09:00:00Z");
      baton = await startTestBaton({
        engine,
        env: { BATON_API_TOKEN: TOKEN, INTAKE_SIGNING_SECRET: INTAKE_SECRET },
        now: () => clock,
      });
      const { url } = baton;
      const timestamp = () => Math.floor(clock.getTime() / 1000);
      const mql = (externalId: string, email: string, extra: Record<string, unknown> = {}) =>
        postSigned(
          url,
          { source: "hubspot", externalId, email, region: "EMEA", employees: 500, campaign: "Q4 webinar", ...extra },
          { timestamp: timestamp() },
        );
      const crm = (body: Record<string, unknown>) =>
        postSigned(url, { source: "salesforce", ...body }, { path: "/webhooks/crm", timestamp: timestamp() });

      const ada = await mql("m1", "ada@example.org");
      const bob = await mql("m2", "bob@example.org");
      expect([ada.status, bob.status]).toEqual([202, 202]);
      // Both go to EMEA (mid-market); the outbox posts the cards.
      await baton.baton.outbox.runOnce();
      clock = new Date("2030-03-05T09:20:00Z");
      const handoff = baton.baton.handoff;
      expect((await handoff.acceptLead(ada.body.leadId as string, { user: "console:ada" })).outcome).toBe("accepted");
      const rejected = await handoff.rejectLead(
        bob.body.leadId as string,
        { user: "console:charles" },
        { reason: "no_budget_or_timing" },
      );
      expect(rejected.outcome).toBe("rejected");
      // A second MQL for Ada while her lead is open: linked, not counted.
      clock = new Date("2030-03-05T10:00:00Z");
      expect((await mql("m3", "ada@example.org")).body.status).toBe("created");

      expect((await crm({ externalId: "c1", type: "sql", lead: { email: "ada@example.org" } })).status).toBe(202);
      const won = await crm({ externalId: "c2", type: "won", amount: 12000, lead: { email: "ada@example.org" } });
      expect(won.status).toBe(202);

      const response = await fetch(`${url}/api/kpi?period=this-week&team=emea-sales`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      // biome-ignore lint/suspicious/noExplicitAny: checked field by field below
      const body: any = await response.json();
      expect(body.period).toEqual({ from: "2030-03-04", to: "2030-03-10", timezone: "Europe/London" });
      expect(body.kpis).toMatchObject({
        mqls: 2,
        accepted: 1,
        rejected: 1,
        acceptanceRate: 0.5,
        rejectReasons: { no_budget_or_timing: 1 },
        medianMinutesToAccept: 20,
        acceptSlaMet: 1,
        acceptSlaBreached: 0,
        firstTouchSlaMet: 1,
        sqls: 1,
        mqlToSqlRate: 0.5,
        won: 1,
        lost: 0,
        winRate: 1,
        wonRevenue: 12000,
        averageDealSize: 12000,
        marketingSourcedRevenue: 12000,
      });
      expect(body.previous).toMatchObject({ mqls: 0, acceptanceRate: null, winRate: null });
    });
  });
}
