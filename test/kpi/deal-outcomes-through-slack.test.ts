/**
 * Deal outcomes from the card, for teams without a CRM hook, through the real server: signed MQLs, signed Slack
 * clicks and modal submissions (Opportunity, Won, Lost) on one set of leads, the same outcomes sent as signed CRM
 * events on a twin set — and `/api/kpi` must not be able to tell the two apart. Refusals use the lifecycle's words.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { INTAKE_SECRET, postSigned } from "../intake/intake-support.ts";
import {
  buttonsOf,
  CHANNELS,
  type FakeSlack,
  interactionBody,
  postToSlackEndpoint,
  seen,
  slackJsonFixture,
  startSlackTestBaton,
  USERS,
} from "../slack/slack-test-kit.ts";
import { ENGINES } from "../support/databases.ts";
import type { TestBaton } from "../support/start-baton.ts";

const TOKEN = "deal-slack-test-token-0123456789";
const ADA = { id: USERS.ada, name: "ada.lovelace" };
const STRANGER = { id: USERS.grace, name: "grace.hopper" };

/** The figures a deal outcome moves, and those that must not differ because of where it came from. */
const DEAL_KPIS = [
  "mqls",
  "accepted",
  "sqls",
  "mqlToSqlRate",
  "sqlToWonRate",
  "won",
  "lost",
  "winRate",
  "wonRevenue",
  "averageDealSize",
  "openPipeline",
  "marketingSourcedRevenue",
] as const;

for (const engine of ENGINES) {
  describe(`deal outcomes from Slack cards [${engine}]`, () => {
    let t: TestBaton;
    let slack: FakeSlack;
    let stop: () => Promise<void>;

    beforeEach(async () => {
      ({ t, slack, stop } = await startSlackTestBaton({
        env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET, BATON_API_TOKEN: TOKEN },
        engine,
      }));
    });

    afterEach(() => stop());

    const click = (actionId: string, leadId: string, user = ADA) =>
      postToSlackEndpoint(
        t.url,
        interactionBody(
          slackJsonFixture("block-actions.json", {
            ACTION_ID: actionId,
            ACTION_LABEL: actionId,
            LEAD_ID: leadId,
            USER_ID: user.id,
            USER_NAME: user.name,
            CHANNEL_ID: CHANNELS.emea,
            MESSAGE_TS: "1700000000.000001",
          }),
        ),
      );

    /** Clicks the button, waits for the modal Baton opens, returns its private_metadata. */
    async function openModal(actionId: string, leadId: string): Promise<string> {
      const before = slack.callsTo("views.open").length;
      expect((await click(actionId, leadId)).status).toBe(200);
      await vi.waitFor(() => expect(slack.callsTo("views.open")).toHaveLength(before + 1));
      const view = slack.callsTo("views.open")[before].args.view as { callback_id: string; private_metadata: string };
      expect(view.callback_id).toBe("lead_deal_outcome");
      return view.private_metadata;
    }

    const submitAmount = (metadata: string, amount: string, currency: string) =>
      postToSlackEndpoint(
        t.url,
        interactionBody(
          slackJsonFixture("view-submission-deal-amount.json", {
            USER_ID: ADA.id,
            USER_NAME: ADA.name,
            PRIVATE_METADATA: metadata,
            AMOUNT: amount,
            CURRENCY: currency,
          }),
        ),
      );

    const submitLost = (metadata: string, reason: string) =>
      postToSlackEndpoint(
        t.url,
        interactionBody(
          slackJsonFixture("view-submission-deal-lost.json", {
            USER_ID: ADA.id,
            USER_NAME: ADA.name,
            PRIVATE_METADATA: metadata,
            REASON: reason,
          }),
        ),
      );

    /** What only the clicker saw, newest last. */
    const ephemerals = () => slack.callsTo("chat.postEphemeral").map((call) => String(call.args.text));

    async function leadStatus(leadId: string) {
      return (await t.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).status;
    }

    /** An MQL for EMEA, accepted by Ada and (unless `sql: false`) marked SQL, all through signed clicks. */
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
      expect((await click("lead_accept", leadId)).status).toBe(200);
      await vi.waitFor(async () => expect(await leadStatus(leadId)).toBe("accepted"));
      if (options.sql !== false) {
        expect((await click("lead_mark_sql", leadId)).status).toBe(200);
        await vi.waitFor(async () => expect(await leadStatus(leadId)).toBe("sql"));
      }
      await t.baton.outbox.drain();
      return leadId;
    }

    /** The latest version of a lead's card as Slack shows it (posted, then updated in place). */
    function latestCard(email: string) {
      const cards = slack.calls.filter(
        (call) => (call.method === "chat.postMessage" || call.method === "chat.update") && seen(call).includes(email),
      );
      return cards.at(-1);
    }

    const kpis = async (query: string) => {
      const response = await fetch(`${t.url}/api/kpi?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { kpis: Record<string, unknown> }).kpis;
    };

    it("records Opportunity, Won and Lost from the card exactly as the CRM webhook does", async () => {
      // Three leads worked from chat (source hubspot), their twins closed through the CRM webhook (source marketo).
      const wonLead = await workedLead("hubspot", "won-1");
      const lostLead = await workedLead("hubspot", "lost-1");
      const openLead = await workedLead("hubspot", "open-1");
      const crmWon = await workedLead("marketo", "won-2");
      const crmLost = await workedLead("marketo", "lost-2");
      const crmOpen = await workedLead("marketo", "open-2");

      // After SQL the card offers the deal steps, and nothing that would move the lead back.
      expect(buttonsOf(latestCard("won-1@hubspot.example")).map((button) => button.action_id)).toEqual([
        "lead_opportunity",
        "lead_won",
        "lead_lost",
      ]);

      // A typo in the amount comes back as the modal's own field error, and records nothing.
      const typo = await submitAmount(await openModal("lead_opportunity", wonLead), "thirty thousand", "USD");
      expect(typo.status).toBe(200);
      expect(await typo.json()).toEqual({
        response_action: "errors",
        errors: { amount: "Enter the amount as a number, e.g. 32000 or 32,000.50." },
      });
      expect(await leadStatus(wonLead)).toBe("sql");

      expect((await submitAmount(await openModal("lead_opportunity", wonLead), "30,000", "usd")).status).toBe(200);
      await vi.waitFor(async () => expect(await leadStatus(wonLead)).toBe("opportunity"));
      const wonModal = await openModal("lead_won", wonLead);
      expect((await submitAmount(wonModal, "32000", "USD")).status).toBe(200);
      await vi.waitFor(async () => expect(await leadStatus(wonLead)).toBe("won"));
      expect((await submitLost(await openModal("lead_lost", lostLead), "Chose a competitor")).status).toBe(200);
      await vi.waitFor(async () => expect(await leadStatus(lostLead)).toBe("lost"));
      expect((await submitAmount(await openModal("lead_opportunity", openLead), "12500.50", "EUR")).status).toBe(200);
      await vi.waitFor(async () => expect(await leadStatus(openLead)).toBe("opportunity"));

      const crm = (externalId: string, leadId: string, event: Record<string, unknown>) =>
        postSigned(
          t.url,
          { source: "salesforce", externalId, lead: { id: leadId }, ...event },
          { path: "/webhooks/crm" },
        );
      for (const response of [
        await crm("d1", crmWon, { type: "opportunity", amount: 30000, currency: "USD" }),
        await crm("d2", crmWon, { type: "won", amount: 32000, currency: "USD" }),
        await crm("d3", crmLost, { type: "lost", reason: "Chose a competitor" }),
        await crm("d4", crmOpen, { type: "opportunity", amount: 12500.5, currency: "EUR" }),
      ]) {
        expect(response.status).toBe(202);
      }

      // The same rows either way: funnel events and deals.
      const trail = async (leadId: string) => ({
        events: (await t.db.prisma.funnelEvent.findMany({ where: { leadId }, orderBy: { occurredAt: "asc" } })).map(
          (event) => [event.type, event.amount?.toString() ?? null, event.currency, event.reason],
        ),
        deals: (await t.db.prisma.deal.findMany({ where: { leadId } })).map((deal) => [
          deal.outcome,
          deal.stage,
          deal.amount.toString(),
          deal.currency,
          deal.closedAt === null,
          deal.teamId,
          deal.ownerRepId,
        ]),
        status: await leadStatus(leadId),
      });
      expect(await trail(wonLead)).toEqual({
        events: [
          ["sql", null, null, null],
          ["opportunity", "30000", "USD", null],
          ["won", "32000", "USD", null],
        ],
        deals: [["won", "won", "32000", "USD", false, "emea-sales", "ada"]],
        status: "won",
      });
      expect(await trail(lostLead)).toEqual({
        events: [
          ["sql", null, null, null],
          ["lost", null, null, "Chose a competitor"],
        ],
        deals: [["lost", "lost", "0", "USD", false, "emea-sales", "ada"]],
        status: "lost",
      });
      expect(await trail(openLead)).toMatchObject({
        deals: [["open", "opportunity", "12500.5", "EUR", true, "emea-sales", "ada"]],
      });
      expect(await trail(crmWon)).toEqual(await trail(wonLead));
      expect(await trail(crmLost)).toEqual(await trail(lostLead));
      expect(await trail(crmOpen)).toEqual(await trail(openLead));

      // …so the KPIs are identical, figure for figure.
      const fromChat = await kpis("period=this-week&source=hubspot");
      const fromCrm = await kpis("period=this-week&source=marketo");
      const pick = (figures: Record<string, unknown>) => Object.fromEntries(DEAL_KPIS.map((k) => [k, figures[k]]));
      expect(pick(fromChat)).toEqual({
        mqls: 3,
        accepted: 3,
        sqls: 3,
        mqlToSqlRate: 1,
        sqlToWonRate: 0.3333,
        won: 1,
        lost: 1,
        winRate: 0.5,
        wonRevenue: 32000,
        averageDealSize: 32000,
        openPipeline: 12500.5,
        marketingSourcedRevenue: 32000,
      });
      expect(pick(fromCrm)).toEqual(pick(fromChat));
      expect(await kpis("period=this-week&team=emea-sales")).toMatchObject({
        won: 2,
        lost: 2,
        winRate: 0.5,
        wonRevenue: 64000,
        openPipeline: 25001,
      });

      // The cards say where each deal stands, with its amount; a closed deal has no buttons left.
      await t.baton.outbox.drain();
      const won = latestCard("won-1@hubspot.example");
      expect(won?.method).toBe("chat.update");
      expect(seen(won)).toContain("🏆 *Won*: 32,000 USD");
      expect(buttonsOf(won)).toEqual([]);
      expect(seen(latestCard("lost-1@hubspot.example"))).toContain("*Lost*: “Chose a competitor”");
      const open = latestCard("open-1@hubspot.example");
      expect(seen(open)).toContain("💼 Opportunity open: 12,500.50 EUR");
      expect(buttonsOf(open).map((button) => button.action_id)).toEqual(["lead_won", "lead_lost"]);
      // The CRM's cards read the same.
      expect(seen(latestCard("won-2@marketo.example"))).toContain("🏆 *Won*: 32,000 USD");
    });

    it("refuses a deal step on a lead that is not an SQL, a second Won, and someone outside the team", async () => {
      const accepted = await workedLead("hubspot", "early-1", { sql: false });
      const sql = await workedLead("hubspot", "sql-1");
      const modalsBefore = slack.callsTo("views.open").length;

      // Not an SQL yet: said at the click, no modal.
      expect((await click("lead_won", accepted)).status).toBe(200);
      await vi.waitFor(() =>
        expect(ephemerals()).toContain("Can't mark the lead won: the lead is not an SQL yet: mark it as SQL first."),
      );
      // Someone from another team: refused as for Accept, no modal.
      expect((await click("lead_won", sql, STRANGER)).status).toBe(200);
      await vi.waitFor(() => expect(ephemerals()).toContain("Only Ada Lovelace or their team can update this lead."));
      expect(slack.callsTo("views.open")).toHaveLength(modalsBefore);

      // Won once; the second click, and the first modal submitted again, hear that it is already won.
      const modal = await openModal("lead_won", sql);
      expect((await submitAmount(modal, "5000", "GBP")).status).toBe(200);
      await vi.waitFor(async () => expect(await leadStatus(sql)).toBe("won"));
      expect((await click("lead_won", sql)).status).toBe(200);
      await vi.waitFor(() =>
        expect(
          ephemerals().filter((text) => text === "Can't mark the lead won: the lead is already won."),
        ).toHaveLength(1),
      );
      const again = await submitAmount(modal, "5000", "GBP");
      expect(again.status).toBe(200);
      await vi.waitFor(() =>
        expect(
          ephemerals().filter((text) => text === "Can't mark the lead won: the lead is already won."),
        ).toHaveLength(2),
      );
      expect(await t.db.prisma.funnelEvent.count({ where: { leadId: sql, type: "won" } })).toBe(1);
      expect(await t.db.prisma.deal.count({ where: { leadId: sql } })).toBe(1);
      expect(await t.db.prisma.funnelEvent.count({ where: { leadId: accepted, type: { in: ["won", "lost"] } } })).toBe(
        0,
      );

      // A lost without a reason stays open in the modal with the field's error.
      const other = await workedLead("hubspot", "sql-2");
      const blank = await submitLost(await openModal("lead_lost", other), "   ");
      expect(await blank.json()).toEqual({
        response_action: "errors",
        errors: { reason: "Say why the deal was lost: marketing and the weekly meeting read it." },
      });
      expect(await leadStatus(other)).toBe("sql");
    });
  });
}
