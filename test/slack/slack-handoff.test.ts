/**
 * The Slack handoff through the real HTTP server: requests signed as Slack signs them, payloads in Slack's
 * documented shapes (test/fixtures/slack), and the Slack Web API faked with nock.
 */

import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { helpMessage, unknownCommandReply } from "../../src/domain/commands/command-grammar.ts";
import { escapeMrkdwn } from "../../src/slack/render-blocks.ts";
import { ENGINES } from "../support/databases.ts";
import type { TestBaton } from "../support/start-baton.ts";
import {
  buttonsOf,
  CHANNELS,
  type FakeSlack,
  intakeSignatureHeaders,
  interactionBody,
  postToSlackEndpoint,
  seedOfferedLead,
  seen,
  slackFixture,
  slackJsonFixture,
  startSlackTestBaton,
  USERS,
} from "./slack-test-kit.ts";

const NAMES: Record<string, string> = {
  [USERS.ada]: "ada.lovelace",
  [USERS.charles]: "charles.babbage",
  [USERS.grace]: "grace.hopper",
  [USERS.stranger]: "someone.else",
};

for (const engine of ENGINES) {
  describe(`Slack handoff [${engine}]`, () => {
    let t: TestBaton;
    let slack: FakeSlack;
    let stop: () => Promise<void>;
    // The outbox and the handoff run this far ahead of real time; a test moves it on to let a Retry-After pass.
    let clockOffset: number;

    beforeEach(async () => {
      clockOffset = 0;
      ({ t, slack, stop } = await startSlackTestBaton({
        engine,
        now: () => new Date(Date.now() + clockOffset),
      }));
    });

    afterEach(() => stop());

    const lead = (id: string) => t.db.prisma.lead.findUniqueOrThrow({ where: { id } });

    /** Seeds an offered lead and delivers its card; returns the lead and where the card was posted. */
    async function postedCard() {
      const { lead: seeded, offer } = await seedOfferedLead(t.db);
      await t.baton.outbox.drain();
      const posted = slack.callsTo("chat.postMessage").at(-1);
      return { leadId: seeded.id, offerId: offer.id, ts: String(posted?.response?.ts), posted };
    }

    function click(actionId: string, label: string, leadId: string, user: string, headers?: Record<string, string>) {
      const payload = slackJsonFixture("block-actions.json", {
        ACTION_ID: actionId,
        ACTION_LABEL: label,
        LEAD_ID: leadId,
        USER_ID: user,
        USER_NAME: NAMES[user],
        CHANNEL_ID: CHANNELS.emea,
        MESSAGE_TS: "1700000000.000001",
      });
      return postToSlackEndpoint(t.url, interactionBody(payload), { headers });
    }

    it("posts the card with Accept and Reject; Accept updates it with the owner, DMs the rep, stores the owner", async () => {
      const { leadId, offerId, posted, ts: cardTs } = await postedCard();

      expect(posted?.args.channel).toBe(CHANNELS.emea);
      expect(seen(posted)).toContain("New lead: Augusta King · Analytical Engines");
      expect(seen(posted)).toContain("*Title*: CTO");
      expect(seen(posted)).toContain("Routed to EMEA Sales: rule `emea-all`: region=EMEA");
      expect(buttonsOf(posted)).toEqual([
        { action_id: "lead_accept", value: leadId, style: "primary" },
        { action_id: "lead_reject", value: leadId, style: "danger" },
      ]);
      expect(posted?.args.text).toBe(
        "New lead for EMEA Sales: Augusta King · Analytical Engines, CTO. Accept or reject it.",
      );
      expect(cardTs).toBe("1700000000.000001");
      expect(await t.db.prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
        conversation: `slack:${CHANNELS.emea}`,
        messageRef: cardTs,
      });

      const response = await click("lead_accept", "Accept", leadId, USERS.ada);
      expect(response.status).toBe(200);
      await vi.waitFor(async () => expect((await lead(leadId)).status).toBe("accepted"));
      await t.baton.outbox.drain();

      const updates = slack.callsTo("chat.update");
      expect(updates).toHaveLength(1);
      expect(updates[0].args).toMatchObject({ channel: CHANNELS.emea, ts: cardTs });
      expect(seen(updates[0])).toMatch(/✅ \*Accepted by Ada Lovelace\* \(.+\)/);
      expect(buttonsOf(updates[0]).map((button) => button.action_id)).toEqual([
        "lead_first_touch",
        "lead_mark_sql",
        "lead_disqualify",
      ]);
      const dm = slack.callsTo("chat.postMessage").find((call) => call.args.channel === USERS.ada);
      expect(dm?.args.text).toMatch(/^You accepted Augusta King \(Analytical Engines\)\. First touch due by /);
      expect(seen(dm)).toContain("You own Augusta King · Analytical Engines");
      expect(await lead(leadId)).toMatchObject({ status: "accepted", ownerRepId: "ada" });
      expect(slack.callsTo("chat.postEphemeral")).toHaveLength(0);
    });

    it("Reject opens the reasons modal; the submission updates the card, stores the reason, tells marketing", async () => {
      const { leadId, offerId } = await postedCard();

      expect((await click("lead_reject", "Reject", leadId, USERS.ada)).status).toBe(200);
      await vi.waitFor(() => expect(slack.callsTo("views.open")).toHaveLength(1));
      const opened = slack.callsTo("views.open")[0].args as { trigger_id: string; view: unknown };
      expect(opened.trigger_id).toBe("13345224609.738474920.8088930838d88f008e0");
      const view = opened.view as {
        callback_id: string;
        private_metadata: string;
        blocks: { block_id?: string; element?: { options?: { text: { text: string }; value: string }[] } }[];
      };
      expect(view.callback_id).toBe("lead_reject_reason");
      const reasons = view.blocks.find((block) => block.block_id === "reason")?.element?.options ?? [];
      expect(reasons.map((option) => option.text.text)).toEqual([
        "Not a fit",
        "Wrong territory",
        "Duplicate",
        "Existing customer",
        "Bad contact data",
        "No budget / timing",
        "Other",
      ]);
      expect(view.blocks.some((block) => block.block_id === "comment")).toBe(true);

      const submit = (reason: string, label: string, comment: string) =>
        postToSlackEndpoint(
          t.url,
          interactionBody(
            slackJsonFixture("view-submission-reject.json", {
              USER_ID: USERS.ada,
              USER_NAME: NAMES[USERS.ada],
              PRIVATE_METADATA: view.private_metadata,
              REASON: reason,
              REASON_LABEL: label,
              COMMENT: comment,
            }),
          ),
        );

      // "Other" needs a comment: the modal stays open with the error under the comment field.
      const refused = await submit("other", "Other", "");
      expect(refused.status).toBe(200);
      expect(await refused.json()).toEqual({
        response_action: "errors",
        errors: { comment: "Tell marketing why: a comment is required for “Other”." },
      });
      expect((await lead(leadId)).status).toBe("offered");

      const accepted = await submit("not_a_fit", "Not a fit", "Student project, no buying power");
      expect(accepted.status).toBe(200);
      expect(await accepted.text()).toBe("");
      expect(await t.db.prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
        status: "rejected",
        rejectReason: "not_a_fit",
        rejectComment: "Student project, no buying power",
        decidedByRepId: "ada",
      });
      await t.baton.outbox.drain();

      const updates = slack.callsTo("chat.update");
      expect(updates).toHaveLength(1);
      expect(seen(updates[0])).toMatch(
        /❌ \*Rejected by Ada Lovelace\* \(.+\): Not a fit: “Student project, no buying power”/,
      );
      expect(buttonsOf(updates[0])).toEqual([]);
      const feedback = slack.callsTo("chat.postMessage").find((call) => call.args.channel === CHANNELS.marketing);
      expect(seen(feedback)).toContain("*Lead rejected: Not a fit*");
      expect(seen(feedback)).toContain("“Student project, no buying power”");
      expect(feedback?.args.text).toContain(
        "Lead rejected (Not a fit): Augusta King, Analytical Engines by Ada Lovelace",
      );
    });

    it("two reps accepting at the same moment: one owner, the other is told privately who has it", async () => {
      const { leadId } = await postedCard();

      const responses = await Promise.all([
        click("lead_accept", "Accept", leadId, USERS.ada),
        click("lead_accept", "Accept", leadId, USERS.charles),
      ]);
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      await vi.waitFor(() => expect(slack.callsTo("chat.postEphemeral")).toHaveLength(1));

      const owner = (await lead(leadId)).ownerRepId;
      expect(["ada", "charles"]).toContain(owner);
      const ownerName = owner === "ada" ? "Ada Lovelace" : "Charles Babbage";
      const loser = owner === "ada" ? USERS.charles : USERS.ada;
      const ephemeral = slack.callsTo("chat.postEphemeral")[0];
      expect(ephemeral.args).toMatchObject({ channel: CHANNELS.emea, user: loser });
      expect(seen(ephemeral)).toBe(`This lead was already accepted by ${ownerName}.`);
      expect(await t.db.prisma.auditLog.count({ where: { leadId, action: "lead.accepted" } })).toBe(1);
    });

    it("someone outside the team is refused privately and nothing changes", async () => {
      const { leadId } = await postedCard();

      await click("lead_accept", "Accept", leadId, USERS.grace);
      await vi.waitFor(() => expect(slack.callsTo("chat.postEphemeral")).toHaveLength(1));
      const ephemeral = slack.callsTo("chat.postEphemeral")[0];
      expect(ephemeral.args).toMatchObject({ channel: CHANNELS.emea, user: USERS.grace });
      expect(seen(ephemeral)).toContain("Only members of EMEA Sales can take or reject this lead.");
      expect((await lead(leadId)).status).toBe("offered");
    });

    it("a bad, missing or stale signature gets 401 and changes nothing", async () => {
      const { leadId } = await postedCard();
      const body = interactionBody(
        slackJsonFixture("block-actions.json", {
          ACTION_ID: "lead_accept",
          ACTION_LABEL: "Accept",
          LEAD_ID: leadId,
          USER_ID: USERS.ada,
          USER_NAME: NAMES[USERS.ada],
          CHANNEL_ID: CHANNELS.emea,
          MESSAGE_TS: "1700000000.000001",
        }),
      );
      const callsBefore = slack.calls.length;

      const wrongSecret = await postToSlackEndpoint(t.url, body, { secret: "not-the-signing-secret" });
      const stale = await postToSlackEndpoint(t.url, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
      const unsigned = await fetch(`${t.url}/slack/events`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });

      expect([wrongSecret.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
      expect((await lead(leadId)).status).toBe("offered");
      expect(await t.db.prisma.auditLog.count({ where: { leadId } })).toBe(0);
      expect(slack.calls.length).toBe(callsBefore);
    });

    it("a click redelivered with X-Slack-Retry-Num is acknowledged and not processed again", async () => {
      const { leadId } = await postedCard();

      await click("lead_accept", "Accept", leadId, USERS.ada);
      await vi.waitFor(async () => expect((await lead(leadId)).status).toBe("accepted"));
      // The handler would answer a second accept with "already accepted"; the retry is dropped before it.
      const retry = await click("lead_accept", "Accept", leadId, USERS.ada, {
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
      });
      expect(retry.status).toBe(200);
      expect(await t.db.prisma.auditLog.count({ where: { leadId, action: "lead.accepted" } })).toBe(1);
      await t.baton.outbox.drain();
      expect(slack.callsTo("chat.postEphemeral")).toHaveLength(0);
      expect(slack.callsTo("chat.update")).toHaveLength(1);
    });

    it("Events API deliveries are handled once per event_id, retries included", async () => {
      const event = (id: string, retry?: string) =>
        postToSlackEndpoint(t.url, slackFixture("event-app-uninstalled.json", { EVENT_ID: id }), {
          json: true,
          headers: retry ? { "X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_error" } : {},
        });
      const receipts = () => t.db.prisma.inboundReceipt.findMany({ where: { source: "slack-event" } });

      expect((await event("Ev0001")).status).toBe(200);
      await vi.waitFor(async () => expect(await receipts()).toHaveLength(1));
      expect((await event("Ev0001", "1")).status).toBe(200);
      // Never seen before: a retry whose original was lost is still handled.
      expect((await event("Ev0002", "2")).status).toBe(200);
      await vi.waitFor(async () => expect((await receipts()).map((r) => r.key).sort()).toEqual(["Ev0001", "Ev0002"]));
    });

    it("answers Slack's URL verification when the request URL is saved", async () => {
      const response = await postToSlackEndpoint(t.url, slackFixture("url-verification.json"), { json: true });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
    });

    it("a 429 on posting the card: posted once, after Retry-After", async () => {
      slack.failNext("chat.postMessage", {
        status: 429,
        body: { ok: false, error: "ratelimited" },
        headers: { "Retry-After": "30" },
      });
      const { offer } = await seedOfferedLead(t.db);
      const offerId = offer.id;

      expect(await t.baton.outbox.drain()).toBe(0);
      expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
      const waiting = await t.db.prisma.outboxMessage.findFirstOrThrow({ where: { offerId } });
      expect(waiting).toMatchObject({ status: "pending", attempts: 0 });
      expect(waiting.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(25_000);

      // Still inside Retry-After: nothing is sent.
      clockOffset = 25_000;
      expect(await t.baton.outbox.drain()).toBe(0);
      expect(slack.callsTo("chat.postMessage")).toHaveLength(1);

      clockOffset = 31_000;
      expect(await t.baton.outbox.drain()).toBe(1);
      expect(await t.baton.outbox.drain()).toBe(0);
      const posts = slack.callsTo("chat.postMessage");
      expect(posts).toHaveLength(2);
      expect(posts[1].args.channel).toBe(CHANNELS.emea);
      expect(await t.db.prisma.offer.findUniqueOrThrow({ where: { id: offerId } })).toMatchObject({
        messageRef: "1700000000.000001",
      });
      expect(await t.db.prisma.outboxMessage.findFirstOrThrow({ where: { offerId } })).toMatchObject({
        status: "sent",
      });
    });

    it("next steps on the accepted card: first touch and SQL are recorded; outsiders are refused", async () => {
      const { leadId } = await postedCard();
      await click("lead_accept", "Accept", leadId, USERS.ada);
      await vi.waitFor(async () => expect((await lead(leadId)).status).toBe("accepted"));

      await click("lead_first_touch", "Log first touch", leadId, USERS.ada);
      await vi.waitFor(async () => expect((await lead(leadId)).firstTouchAt).not.toBeNull());
      // One card update per outbox pass: the order of several updates claimed in one pass is the outbox's concern.
      await t.baton.outbox.drain();
      // A teammate may move it on too.
      await click("lead_mark_sql", "Mark SQL", leadId, USERS.charles);
      await vi.waitFor(async () => expect((await lead(leadId)).status).toBe("sql"));
      await click("lead_disqualify", "Disqualify", leadId, USERS.grace);
      await vi.waitFor(() => expect(slack.callsTo("chat.postEphemeral")).toHaveLength(1));
      expect(seen(slack.callsTo("chat.postEphemeral")[0])).toBe(
        "Only Ada Lovelace or their team can update this lead.",
      );

      const events = await t.db.prisma.funnelEvent.findMany({ where: { leadId }, orderBy: { occurredAt: "asc" } });
      expect(events.map((event) => [event.type, event.repId])).toEqual([
        ["first_touch", "ada"],
        ["sql", "charles"],
      ]);
      await t.baton.outbox.drain();
      const lastCard = slack.callsTo("chat.update").at(-1);
      expect(seen(lastCard)).toContain("📞 First touch logged");
      expect(seen(lastCard)).toContain("🎯 Marked SQL");
    });

    describe("/baton", () => {
      /**
       * The answer as the person sees it: on the acknowledgement when it came quickly, else through the response
       * URL (Slack's 3-second rule); which one depends on the machine's speed, so the test reads either.
       */
      const command = async (text: string) => {
        const posted: Record<string, unknown>[] = [];
        const responseUrl = nock("https://hooks.slack.com")
          .post("/commands/T0TESTTEAM/1234567890/responseSecret", (body) => {
            posted.push(body);
            return true;
          })
          .reply(200, "ok");
        const response = await postToSlackEndpoint(
          t.url,
          slackFixture("slash-command-baton.txt", {
            CHANNEL_ID: CHANNELS.emea,
            USER_ID: USERS.ada,
            USER_NAME: NAMES[USERS.ada],
            TEXT: text,
          }),
        );
        expect(response.status).toBe(200);
        const raw = await response.text();
        // The response-URL interceptor left unused is cleared by nock.cleanAll() after the test.
        if (raw) return JSON.parse(raw) as { response_type: string; text: string; blocks: never[] };
        await vi.waitFor(() => expect(responseUrl.isDone()).toBe(true));
        return posted[0] as { response_type: string; text: string; blocks: never[] };
      };

      it("help answers privately with the help every platform shows", async () => {
        const body = await command("help");
        expect(body.response_type).toBe("ephemeral");
        // Escaped: Slack reads the fallback text as mrkdwn, and shows `&lt;` as `<`.
        expect(body.text).toBe(escapeMrkdwn(helpMessage().text));
        expect(body.text).toContain("lead &lt;email or lead id&gt;");
      });

      it("an unknown word gets the same answer as on every platform, with the help", async () => {
        const body = await command("dance");
        expect(body.response_type).toBe("ephemeral");
        expect(body.text).toBe(escapeMrkdwn(unknownCommandReply("dance").text));
      });

      it.each([
        ["", "*Baton* hands marketing's leads to sales"],
        ["lead", "`lead` needs the lead's email address or id. Usage: `lead <email or lead id>`"],
        ["lead a@b.example c@d.example", "`lead` takes one email address or lead id."],
        ["dance", "Baton doesn't know `dance`."],
        ["kpi this-week", "all teams · vs "],
        ["kpi this-week emea-sales", "*MQLs*: 0  ="],
        ["kpi ytd", 'Unknown team "ytd"'],
        ["spend 1200 paid-search", "Only Baton admins can run `spend`"],
        ["agenda emea-sales", "Preview: only you can see this."],
        ["reload", "Only Baton admins can run `reload`"],
      ])("%j gets a private answer", async (text, expected) => {
        const body = await command(text);
        expect(body.response_type).toBe("ephemeral");
        expect(seen({ method: "", args: { blocks: body.blocks } })).toContain(expected);
      });

      it("lead <email> answers privately with status, owner and history", async () => {
        const { leadId } = await postedCard();
        await click("lead_accept", "Accept", leadId, USERS.ada);
        await vi.waitFor(async () => expect((await lead(leadId)).status).toBe("accepted"));
        // Slack turns a typed email into a mailto link.
        const answer = await command("lead <mailto:augusta@analytical.example|augusta@analytical.example>");
        expect(answer.response_type).toBe("ephemeral");
        const shown = seen({ method: "", args: { blocks: answer.blocks } });
        expect(shown).toContain("Augusta King · Analytical Engines");
        expect(shown).toContain("*Owner*: Ada Lovelace");
      });
    });

    it("end to end: signed MQL → card in the routed channel → Accept → card updated, DM, lead accepted", async () => {
      const mql = JSON.stringify({
        source: "hubspot",
        externalId: "e2e-1",
        email: "ada@analytical-engines.example",
        firstName: "Ada",
        lastName: "Lovelace",
        company: "Analytical Engines",
        title: "CTO",
        country: "GB",
        region: "EMEA",
        employees: 250,
        score: 87,
        campaign: "Q4 webinar",
      });
      const intake = await fetch(`${t.url}/webhooks/mql`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...intakeSignatureHeaders(mql) },
        body: mql,
      });
      expect(intake.status).toBe(202);
      const { leadId, status } = (await intake.json()) as { leadId: string; status: string };
      expect(status).toBe("created");

      await t.baton.outbox.drain();
      const card = slack.callsTo("chat.postMessage").find((call) => call.args.channel === CHANNELS.emea);
      expect(seen(card)).toContain("New lead: Ada Lovelace · Analytical Engines");
      expect(buttonsOf(card)).toEqual([
        { action_id: "lead_accept", value: leadId, style: "primary" },
        { action_id: "lead_reject", value: leadId, style: "danger" },
      ]);

      expect((await click("lead_accept", "Accept", leadId, USERS.charles)).status).toBe(200);
      await vi.waitFor(async () => expect((await lead(leadId)).status).toBe("accepted"));
      await t.baton.outbox.drain();

      const update = slack.callsTo("chat.update").at(-1);
      expect(update?.args).toMatchObject({ channel: CHANNELS.emea, ts: card?.response?.ts });
      expect(seen(update)).toContain("Accepted by Charles Babbage");
      const dm = slack.callsTo("chat.postMessage").find((call) => call.args.channel === USERS.charles);
      expect(dm?.args.text).toContain("You accepted Ada Lovelace (Analytical Engines).");
      expect(await lead(leadId)).toMatchObject({ status: "accepted", ownerRepId: "charles" });
    });
  });
}
