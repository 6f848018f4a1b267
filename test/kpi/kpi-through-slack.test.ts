/**
 * KPIs from what really happened: signed MQLs through the webhook, cards posted to a faked Slack, clicks and the
 * reject modal signed as Slack signs them, signed CRM events — then `/api/kpi` and the Slack scorecard.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answerKpiCommand } from "../../src/kpi/answer-kpi-command.ts";
import { loadKpiReport } from "../../src/kpi/load-kpi-report.ts";
import { readSlackBlocks, renderBlocks } from "../../src/slack/render-blocks.ts";
import { INTAKE_SECRET, postSigned } from "../intake/intake-support.ts";
import {
  CHANNELS,
  type FakeSlack,
  interactionBody,
  postToSlackEndpoint,
  slackJsonFixture,
  startSlackTestBaton,
  USERS,
} from "../slack/slack-test-kit.ts";
import { ENGINES } from "../support/databases.ts";
import type { TestBaton } from "../support/start-baton.ts";

const TOKEN = "kpi-slack-test-token-0123456789";

for (const engine of ENGINES) {
  describe(`KPIs after a Slack handoff [${engine}]`, () => {
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

    const click = (actionId: string, label: string, leadId: string, user: string, name: string) =>
      postToSlackEndpoint(
        t.url,
        interactionBody(
          slackJsonFixture("block-actions.json", {
            ACTION_ID: actionId,
            ACTION_LABEL: label,
            LEAD_ID: leadId,
            USER_ID: user,
            USER_NAME: name,
            CHANNEL_ID: CHANNELS.emea,
            MESSAGE_TS: "1700000000.000001",
          }),
        ),
      );

    it("counts the accepted, the rejected with its reason, the SQL and the won deal", async () => {
      const mql = (externalId: string, email: string) =>
        postSigned(t.url, { source: "hubspot", externalId, email, region: "EMEA", campaign: "Q4 webinar" });
      const ada = await mql("s1", "ada@analytical.example");
      const bob = await mql("s2", "bob@engines.example");
      expect([ada.status, bob.status]).toEqual([202, 202]);
      const adaLead = ada.body.leadId as string;
      const bobLead = bob.body.leadId as string;
      await t.baton.outbox.drain();
      expect(slack.callsTo("chat.postMessage").filter((call) => call.args.channel === CHANNELS.emea)).toHaveLength(2);

      expect((await click("lead_accept", "Accept", adaLead, USERS.ada, "ada.lovelace")).status).toBe(200);
      expect((await click("lead_reject", "Reject", bobLead, USERS.charles, "charles.babbage")).status).toBe(200);
      await vi.waitFor(() => expect(slack.callsTo("views.open")).toHaveLength(1));
      const view = slack.callsTo("views.open")[0].args.view as { private_metadata: string };
      const submitted = await postToSlackEndpoint(
        t.url,
        interactionBody(
          slackJsonFixture("view-submission-reject.json", {
            USER_ID: USERS.charles,
            USER_NAME: "charles.babbage",
            PRIVATE_METADATA: view.private_metadata,
            REASON: "existing_customer",
            REASON_LABEL: "Existing customer",
            COMMENT: "Already a customer of ours",
          }),
        ),
      );
      expect(submitted.status).toBe(200);
      await vi.waitFor(async () => {
        const leads = await t.db.prisma.lead.findMany({ where: { id: { in: [adaLead, bobLead] } } });
        expect(leads.map((lead) => lead.status).sort()).toEqual(["accepted", "rejected"]);
      });

      const crm = (externalId: string, type: string, amount?: number) =>
        postSigned(
          t.url,
          { source: "salesforce", externalId, type, amount, lead: { email: "ada@analytical.example" } },
          { path: "/webhooks/crm" },
        );
      expect((await crm("c1", "sql")).status).toBe(202);
      expect((await crm("c2", "opportunity", 30000)).status).toBe(202);
      expect((await crm("c3", "won", 32000)).status).toBe(202);

      const response = await fetch(`${t.url}/api/kpi?period=this-week&team=emea-sales`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { kpis: Record<string, unknown> };
      expect(body.kpis).toMatchObject({
        mqls: 2,
        accepted: 1,
        rejected: 1,
        acceptanceRate: 0.5,
        rejectReasons: { existing_customer: 1 },
        acceptSlaMet: 1,
        acceptSlaBreached: 0,
        firstTouchSlaMet: 1,
        sqls: 1,
        mqlToSqlRate: 0.5,
        sqlToWonRate: 1,
        won: 1,
        lost: 0,
        winRate: 1,
        wonRevenue: 32000,
        averageDealSize: 32000,
        openPipeline: 0,
        marketingSourcedRevenue: 32000,
      });
      expect(typeof body.kpis.medianMinutesToAccept).toBe("number");

      // The same numbers in the scorecard Slack shows for `/baton kpi this-week emea-sales`.
      const config = t.baton.batonConfig();
      const scorecard = await answerKpiCommand(
        { batonConfig: () => config, loadReport: (request) => loadKpiReport(t.db.prisma, config, request) },
        "this-week emea-sales",
        new Date(),
      );
      const text = readSlackBlocks(renderBlocks(scorecard).blocks);
      expect(text).toContain("EMEA Sales · vs ");
      expect(text).toContain("*MQLs*: 2  ▲ new");
      expect(text).toContain("*Acceptance rate*: 50%");
      expect(text).toContain("*Won*: 1  ▲ new");
      expect(text).toContain("*Lost*: 0  =");
      expect(text).toContain("*Won revenue*: 32,000  ▲ new");
      expect(text).toContain("Reject reasons: Existing customer 1");
    });
  });
}
