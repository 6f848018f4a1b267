/**
 * The Teams handoff through the real HTTP server: activities in the Bot Framework's documented shapes
 * (test/fixtures/teams), signed with a locally generated key that a local fake publishes as OpenID metadata,
 * and the Bot Connector played by the same fake.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADA, postSigned } from "../intake/intake-support.ts";
import type { TestBaton } from "../support/start-baton.ts";
import {
  APP_ID,
  CHANNELS,
  cardOf,
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
} from "./teams-test-kit.ts";

const key = generateSigningKey("baton-test-key");
const wrongKey = generateSigningKey("baton-test-key");

describe("Teams handoff", () => {
  let t: TestBaton;
  let fake: FakeBotFramework;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    ({ t, fake, stop } = await startTeamsTestBaton(key));
  });

  afterEach(() => stop());

  const bearer = (signingKey = key) => `Bearer ${channelToken(signingKey, fake.serviceUrl)}`;
  const common = () => ({ SERVICE_URL: fake.serviceUrl, TENANT_ID, APP_ID });

  async function installIn(conversation: string) {
    expect(await installBaton(t.url, key, fake.serviceUrl, conversation)).toBe(200);
  }

  /** Installs Baton in the EMEA channel, sends Ada's MQL and delivers the card; returns the lead and the post. */
  async function postedCard() {
    await installIn(CHANNELS.emea);
    const intake = await postSigned(t.url, ADA);
    expect(intake.status).toBe(202);
    await t.baton.outbox.drain();
    const post = fake.posts().find((call) => call.conversation === CHANNELS.emea);
    if (!post)
      throw new Error(
        `no card was posted to the EMEA channel: ${JSON.stringify(fake.calls.map((c) => [c.method, c.path]))}`,
      );
    return { leadId: String(intake.body.leadId), messageId: `activity-${fake.posts().indexOf(post) + 1}`, post };
  }

  function click(verb: string, data: Record<string, unknown>, user: { aad: string; name: string }, messageId = "1") {
    const activity = teamsFixture("invoke-adaptive-card-action.json", {
      ...common(),
      CONVERSATION_ID: CHANNELS.emea,
      MESSAGE_ID: messageId,
      VERB: verb,
      DATA: data,
      AAD_ID: user.aad,
      USER_NAME: user.name,
    });
    return postActivity(t.url, activity, bearer());
  }

  /** The card an invoke answered with, as a person reads it. */
  function invokeCard(response: { status: number; body: unknown }) {
    expect(response.status).toBe(200);
    const body = response.body as { statusCode: number; type: string; value: unknown };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe("application/vnd.microsoft.card.adaptive");
    return seenOnCard(body.value);
  }

  it("installed in a channel, posts the lead card there, and Accept takes the lead", async () => {
    const { leadId, post } = await postedCard();
    const stored = await t.db.prisma.conversationRef.findUniqueOrThrow({
      where: { conversation: `teams:${CHANNELS.emea}` },
    });
    expect((stored.reference as { serviceUrl: string }).serviceUrl).toBe(fake.serviceUrl);
    expect(post.authorization).toBe("Bearer baton-outbound-token");
    const card = cardOf(post.body);
    expect(card.version).toBe("1.5");
    const seen = seenOnCard(card);
    expect(seen).toContain("New lead: Ada Lovelace · Analytical Engines");
    expect(seen).toContain("Email: ada@example.com");
    expect(seen).toContain("[button: Accept]");
    expect(seen).toContain("[button: Reject]");
    expect(card.actions).toContainEqual(
      expect.objectContaining({ type: "Action.Execute", verb: "lead_accept", data: { leadId }, style: "positive" }),
    );

    const accepted = invokeCard(await click("lead_accept", { leadId }, USERS.ada));
    expect(accepted).toContain("**Accepted by Ada Lovelace**");
    expect(accepted).toContain("[button: Log first touch]");
    expect(accepted).not.toContain("[button: Accept]");
    const lead = await t.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
    expect(lead.status).toBe("accepted");
    expect(lead.ownerRepId).toBe("ada");

    const again = invokeCard(await click("lead_accept", { leadId }, USERS.charles));
    expect(again).toMatch(/already accepted by Ada Lovelace/i);

    const touched = invokeCard(await click("lead_first_touch", { leadId }, USERS.ada));
    expect(touched).toContain("First touch logged");
  });

  it("Reject asks for a reason in the card, insists on a comment for Other, then tells marketing", async () => {
    const { leadId } = await postedCard();
    const form = invokeCard(await click("lead_reject", { leadId }, USERS.charles));
    expect(form).toContain("[Reason]");
    expect(form).toContain("[button: Reject lead]");
    expect(form).toContain("[button: Cancel]");

    const missing = invokeCard(await click("lead_reject", { leadId, reason: "other", comment: "" }, USERS.charles));
    expect(missing).toContain("[button: Reject lead]");
    expect(missing).toMatch(/comment/i);
    expect((await t.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).status).toBe("offered");

    const rejected = invokeCard(
      await click("lead_reject", { leadId, reason: "not_a_fit", comment: "Hobby project" }, USERS.charles),
    );
    expect(rejected).toContain("**Rejected by Charles Babbage**");
    expect(rejected).toContain("Not a fit");
    const lead = await t.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
    expect(lead.status).toBe("rejected");

    await t.baton.outbox.drain();
    const feedback = fake.posts().find((call) => call.conversation === CHANNELS.marketing);
    expect(feedback, "feedback posted to marketing's channel").toBeDefined();
    expect(seenOnCard(cardOf(feedback?.body ?? {}))).toMatch(/Hobby project/);
  });

  it("refuses a rep of another team, and changes nothing", async () => {
    const { leadId } = await postedCard();
    const refused = invokeCard(await click("lead_accept", { leadId }, USERS.grace));
    expect(refused).toContain("[button: Accept]");
    expect(refused.split("\n")[0]).toMatch(/EMEA Sales/);
    expect((await t.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).status).toBe("offered");
  });

  it("answers `help` and `lead <email>` with cards, after stripping the @mention", async () => {
    await postedCard();
    const before = fake.posts().length;
    const message = (text: string) =>
      teamsFixture("message-mention.json", {
        ...common(),
        CONVERSATION_ID: CHANNELS.emea,
        AAD_ID: USERS.ada.aad,
        USER_NAME: USERS.ada.name,
        TEXT: text,
      });
    expect((await postActivity(t.url, message("help"), bearer())).status).toBe(200);
    expect((await postActivity(t.url, message("lead ada@example.com"), bearer())).status).toBe(200);
    expect((await postActivity(t.url, message("kpi"), bearer())).status).toBe(200);
    const [help, lead, kpi] = fake
      .posts()
      .slice(before)
      .map((call) => seenOnCard(cardOf(call.body)));
    expect(help).toContain("lead <email or lead id>");
    expect(lead).toContain("ada@example.com");
    expect(kpi).toContain("KPIs · ");
    expect(kpi).toContain("Marketing");
    expect(kpi).toContain("MQLs: 1  ▲ new");
  });

  it("refuses requests without a token or with a token signed by another key", async () => {
    const activity = teamsFixture("conversation-update-bot-added.json", { ...common(), CONVERSATION_ID: CHANNELS.na });
    expect((await postActivity(t.url, activity)).status).toBe(401);
    expect((await postActivity(t.url, activity, bearer(wrongKey))).status).toBe(401);
    expect(await t.db.prisma.conversationRef.count()).toBe(0);
    expect((await postActivity(t.url, activity, bearer())).status).toBe(200);
    expect(await t.db.prisma.conversationRef.count()).toBe(1);
  });
});
