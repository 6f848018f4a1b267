/**
 * Deal outcomes from the Teams card through the real server: Bot Framework invokes signed with a local key open the
 * amount / reason form on the card (`Action.Execute` with `Input.Text`), its submission records the deal; the same
 * outcomes sent as signed CRM events on twin leads give the same `/api/kpi` figures. Refusals use the lifecycle's
 * words, shown on top of the card as it stands.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

const key = generateSigningKey("baton-deal-key");
const TOKEN = "deal-teams-test-token-0123456789";

describe("deal outcomes from Teams cards", () => {
  let t: TestBaton;
  let fake: FakeBotFramework;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    ({ t, fake, stop } = await startTeamsTestBaton(key, { env: { BATON_API_TOKEN: TOKEN } }));
    expect(await installBaton(t.url, key, fake.serviceUrl, CHANNELS.emea)).toBe(200);
  });

  afterEach(() => stop());

  /** The card the invoke answered with, as a person reads it, and its raw JSON. */
  async function click(verb: string, data: Record<string, unknown>, user = USERS.ada) {
    const activity = teamsFixture("invoke-adaptive-card-action.json", {
      SERVICE_URL: fake.serviceUrl,
      TENANT_ID,
      APP_ID,
      CONVERSATION_ID: CHANNELS.emea,
      MESSAGE_ID: "1",
      VERB: verb,
      DATA: data,
      AAD_ID: user.aad,
      USER_NAME: user.name,
    });
    const response = await postActivity(t.url, activity, `Bearer ${channelToken(key, fake.serviceUrl)}`);
    expect(response.status).toBe(200);
    const body = response.body as { statusCode: number; type: string; value: { actions?: unknown[] } };
    expect(body.type).toBe("application/vnd.microsoft.card.adaptive");
    return { seen: seenOnCard(body.value), card: body.value };
  }

  async function workedLead(source: string, externalId: string, options: { sql?: boolean } = {}) {
    const mql = await postSigned(t.url, {
      source,
      externalId,
      email: `${externalId}@${source}.example`,
      region: "EMEA",
      campaign: "Q4 webinar",
    });
    expect(mql.status).toBe(202);
    const leadId = String(mql.body.leadId);
    await t.baton.outbox.drain();
    expect((await click("lead_accept", { leadId })).seen).toContain("Accepted by Ada Lovelace");
    if (options.sql === false) return leadId;
    const sql = await click("lead_mark_sql", { leadId });
    expect(sql.seen).toContain("Marked SQL");
    expect(sql.seen).toContain("[button: Opportunity]\n[button: Won]\n[button: Lost]");
    return leadId;
  }

  const kpis = async (query: string) => {
    const response = await fetch(`${t.url}/api/kpi?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { kpis: Record<string, unknown> }).kpis;
  };

  it("asks for the amount on the card, records Won and Lost, and counts them as the CRM's", async () => {
    const wonLead = await workedLead("hubspot", "won-1");
    const lostLead = await workedLead("hubspot", "lost-1");
    const crmWon = await workedLead("marketo", "won-2");
    const crmLost = await workedLead("marketo", "lost-2");

    const form = await click("lead_won", { leadId: wonLead });
    expect(form.seen).toContain("Mark the deal won\n[Amount]\n[Currency]\n[button: Mark won]\n[button: Cancel]");
    expect(form.card.actions).toContainEqual(
      expect.objectContaining({ verb: "lead_won", data: { leadId: wonLead, form: "deal_outcome" } }),
    );
    const typo = await click("lead_won", { leadId: wonLead, form: "deal_outcome", amount: "-5", currency: "USD" });
    expect(typo.seen).toContain("Enter the amount as a number, e.g. 32000 or 32,000.50.");
    expect(typo.seen).toContain("[button: Mark won]");

    const won = await click("lead_won", { leadId: wonLead, form: "deal_outcome", amount: "32,000", currency: "USD" });
    expect(won.seen).toContain("🏆 **Won**: 32,000 USD");
    expect(won.seen).not.toContain("[button:");

    const lostForm = await click("lead_lost", { leadId: lostLead });
    expect(lostForm.seen).toContain("Mark the deal lost\n[Why was it lost?]\n[button: Mark lost]");
    const lost = await click("lead_lost", { leadId: lostLead, form: "deal_outcome", reason: "No budget this year" });
    expect(lost.seen).toContain("**Lost**: “No budget this year”");

    const crm = (externalId: string, leadId: string, event: Record<string, unknown>) =>
      postSigned(
        t.url,
        { source: "salesforce", externalId, lead: { id: leadId }, ...event },
        { path: "/webhooks/crm" },
      );
    expect((await crm("t1", crmWon, { type: "won", amount: 32000, currency: "USD" })).status).toBe(202);
    expect((await crm("t2", crmLost, { type: "lost", reason: "No budget this year" })).status).toBe(202);

    const figures = ["sqls", "won", "lost", "winRate", "wonRevenue", "averageDealSize", "openPipeline", "sqlToWonRate"];
    const pick = (all: Record<string, unknown>) => Object.fromEntries(figures.map((name) => [name, all[name]]));
    const fromChat = pick(await kpis("period=this-week&source=hubspot"));
    expect(fromChat).toEqual({
      sqls: 2,
      won: 1,
      lost: 1,
      winRate: 0.5,
      wonRevenue: 32000,
      averageDealSize: 32000,
      openPipeline: 0,
      sqlToWonRate: 0.5,
    });
    expect(pick(await kpis("period=this-week&source=marketo"))).toEqual(fromChat);
  });

  it("refuses Won before SQL, a second Won, and a rep of another team, with the card as it stands", async () => {
    const early = await workedLead("hubspot", "early-1", { sql: false });
    const refusedEarly = await click("lead_won", { leadId: early });
    expect(refusedEarly.seen).toContain("Can't mark the lead won: the lead is not an SQL yet: mark it as SQL first.");
    expect(refusedEarly.seen).not.toContain("[Amount]");

    const leadId = await workedLead("hubspot", "sql-1");
    const stranger = await click("lead_won", { leadId }, USERS.grace);
    expect(stranger.seen).toContain("Only Ada Lovelace or their team can update this lead.");
    expect(stranger.seen).not.toContain("[Amount]");
    const strangerSubmits = await click(
      "lead_won",
      { leadId, form: "deal_outcome", amount: "100", currency: "USD" },
      USERS.grace,
    );
    expect(strangerSubmits.seen).toContain("Only Ada Lovelace or their team can update this lead.");

    await click("lead_won", { leadId, form: "deal_outcome", amount: "5000", currency: "EUR" });
    const second = await click("lead_won", { leadId, form: "deal_outcome", amount: "5000", currency: "EUR" });
    expect(second.seen).toContain("Can't mark the lead won: the lead is already won.");
    expect(second.seen).toContain("🏆 **Won**: 5,000 EUR");
    expect(await t.db.prisma.funnelEvent.count({ where: { leadId, type: "won" } })).toBe(1);
    expect(await t.db.prisma.deal.findMany({ where: { leadId } })).toMatchObject([
      { outcome: "won", currency: "EUR", ownerRepId: "ada" },
    ]);
  });
});
