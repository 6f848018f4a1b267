/**
 * KPIs from a Teams handoff through the real server: signed MQLs, Bot Framework invokes signed with a local key
 * (a re-route from EMEA to North America included), signed CRM events — then `/api/kpi` and the Teams scorecard.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answerKpiCommand } from "../../src/kpi/answer-kpi-command.ts";
import { loadKpiReport } from "../../src/kpi/load-kpi-report.ts";
import { renderAdaptiveCard } from "../../src/teams/render-adaptive-card.ts";
import { postSigned } from "../intake/intake-support.ts";
import type { TestBaton } from "../support/start-baton.ts";
import {
  APP_ID,
  CHANNELS,
  channelToken,
  type FakeBotFramework,
  generateSigningKey,
  installBaton,
  postActivity,
  seenOnCard,
  startTeamsTestBaton,
  TENANT_ID,
  teamsFixture,
  USERS,
} from "../teams/teams-test-kit.ts";

const key = generateSigningKey("baton-kpi-key");
const TOKEN = "kpi-teams-test-token-0123456789";

describe("KPIs after a Teams handoff", () => {
  let t: TestBaton;
  let fake: FakeBotFramework;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    ({ t, fake, stop } = await startTeamsTestBaton(key, { env: { BATON_API_TOKEN: TOKEN } }));
  });

  afterEach(() => stop());

  const bearer = () => `Bearer ${channelToken(key, fake.serviceUrl)}`;
  const common = () => ({ SERVICE_URL: fake.serviceUrl, TENANT_ID, APP_ID });

  async function installIn(conversation: string) {
    expect(await installBaton(t.url, key, fake.serviceUrl, conversation)).toBe(200);
  }

  async function click(
    conversation: string,
    verb: string,
    data: Record<string, unknown>,
    user: { aad: string; name: string },
  ) {
    const activity = teamsFixture("invoke-adaptive-card-action.json", {
      ...common(),
      CONVERSATION_ID: conversation,
      MESSAGE_ID: "1",
      VERB: verb,
      DATA: data,
      AAD_ID: user.aad,
      USER_NAME: user.name,
    });
    const response = await postActivity(t.url, activity, bearer());
    expect(response.status).toBe(200);
    return response;
  }

  it("counts a lead rejected by one team and accepted by the next, and its lost deal; not its repeat MQL", async () => {
    await installIn(CHANNELS.emea);
    await installIn(CHANNELS.na);
    const mql = await postSigned(t.url, {
      source: "hubspot",
      externalId: "t1",
      email: "lin@far.example",
      region: "EMEA",
    });
    expect(mql.status).toBe(202);
    const leadId = String(mql.body.leadId);
    await t.baton.outbox.drain();

    await click(CHANNELS.emea, "lead_reject", { leadId, reason: "wrong_territory", comment: "" }, USERS.charles);
    await t.baton.outbox.drain();
    expect(fake.posts().some((call) => call.conversation === CHANNELS.na)).toBe(true);
    await click(CHANNELS.na, "lead_accept", { leadId }, USERS.grace);
    expect(await t.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({
      status: "accepted",
      teamId: "na-sales",
      ownerRepId: "grace",
    });

    const repeat = await postSigned(t.url, { source: "hubspot", externalId: "t2", email: "lin@far.example" });
    expect(repeat.status).toBe(202);
    const crm = (externalId: string, type: string, amount?: number) =>
      postSigned(
        t.url,
        { source: "salesforce", externalId, type, amount, lead: { id: leadId } },
        { path: "/webhooks/crm" },
      );
    expect((await crm("t-c1", "opportunity", 9000)).status).toBe(202);
    expect((await crm("t-c2", "lost")).status).toBe(202);

    const get = async (query: string) => {
      const response = await fetch(`${t.url}/api/kpi?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { kpis: Record<string, unknown> }).kpis;
    };
    const expected = {
      mqls: 1,
      accepted: 1,
      rejected: 0,
      acceptanceRate: 1,
      rejectReasons: { wrong_territory: 1 },
      acceptSlaMet: 1,
      acceptSlaBreached: 0,
      sqls: 1,
      won: 0,
      lost: 1,
      winRate: 0,
      wonRevenue: 0,
      averageDealSize: null,
      openPipeline: 0,
    };
    expect(await get("period=this-week")).toMatchObject(expected);
    expect(await get("period=this-week&team=na-sales")).toMatchObject(expected);
    expect(await get("period=this-week&team=emea-sales")).toMatchObject({ mqls: 0, acceptanceRate: null });

    // The scorecard Teams shows for `kpi this-week na-sales`.
    const config = t.baton.batonConfig();
    const scorecard = await answerKpiCommand(
      { batonConfig: () => config, loadReport: (request) => loadKpiReport(t.db.prisma, config, request) },
      "this-week na-sales",
      new Date(),
    );
    const seen = seenOnCard(renderAdaptiveCard(scorecard));
    expect(seen).toContain("North America Sales · vs ");
    expect(seen).toContain("MQLs: 1  ▲ new");
    expect(seen).toContain("Acceptance rate: 100%");
    expect(seen).toContain("Won: 0  =");
    expect(seen).toContain("Lost: 1  ▲ new");
    expect(seen).toContain("Win rate: 0%");
    expect(seen).toContain("Reject reasons: Wrong territory 1");
  });
});
