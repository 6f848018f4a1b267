/**
 * Action items on Teams through the real HTTP server: activities in the Bot Framework's documented shapes, signed
 * with a locally generated key; the replies read as rendered. `action …` messages, and the agenda card's
 * `Action.Execute` tick (`verb: "agenda_action_done"`, `data: { actionItemId }`).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createActionItem } from "../../src/agenda/action-items.ts";
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
// Wednesday 25 November 2026, 16:30 in New York.
const NOW = new Date("2026-11-25T21:30:00Z");

describe("Teams action items", () => {
  let t: TestBaton;
  let fake: FakeBotFramework;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    ({ t, fake, stop } = await startTeamsTestBaton(key, { now: () => NOW }));
    expect(await installBaton(t.url, key, fake.serviceUrl, CHANNELS.na)).toBe(200);
  });

  afterEach(() => stop());

  const bearer = () => `Bearer ${channelToken(key, fake.serviceUrl)}`;
  const common = () => ({ SERVICE_URL: fake.serviceUrl, TENANT_ID, APP_ID });
  const items = () => t.db.prisma.actionItem.findMany({ orderBy: { createdAt: "asc" } });

  /** A message to the bot in the NA channel; returns the card Baton answered with, as a person reads it. */
  async function say(text: string, from = USERS.charles, mentioned: { aad: string; name: string }[] = []) {
    const activity = teamsFixture("message-mention.json", {
      ...common(),
      CONVERSATION_ID: CHANNELS.na,
      AAD_ID: from.aad,
      USER_NAME: from.name,
      TEXT: text,
    });
    // Teams lists every mention in the text as an entity, the bot's and the people's.
    for (const person of mentioned) {
      (activity.entities as unknown[]).push({
        type: "mention",
        text: `<at>${person.name}</at>`,
        mentioned: { id: `29:1${person.aad}`, name: person.name, aadObjectId: person.aad },
      });
    }
    const before = fake.posts().length;
    expect((await postActivity(t.url, activity, bearer())).status).toBe(200);
    const replies = fake.posts().slice(before);
    expect(replies).toHaveLength(1);
    return seenOnCard(cardOf(replies[0].body));
  }

  function tick(data: unknown, user: { aad: string; name: string }, tenant = TENANT_ID) {
    const activity = teamsFixture("invoke-adaptive-card-action.json", {
      ...common(),
      TENANT_ID: tenant,
      CONVERSATION_ID: CHANNELS.na,
      MESSAGE_ID: "activity-agenda",
      VERB: "agenda_action_done",
      DATA: data,
      AAD_ID: user.aad,
      USER_NAME: user.name,
    });
    return postActivity(t.url, activity, bearer());
  }

  /** The invoke's answer: a message naming the item, shown to the person who ticked. */
  function invokeMessage(response: { status: number; body: unknown }) {
    expect(response.status).toBe(200);
    const body = response.body as { statusCode: number; type: string; value: unknown };
    expect(body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.activity.message" });
    return String(body.value);
  }

  it("`action …` with a Teams mention adds the item to the team's agenda and names item, owner and due date", async () => {
    const answer = await say(
      'action "Call Initech back about the renewal" <at>Grace Hopper</at> tomorrow na-sales',
      USERS.charles,
      [USERS.grace],
    );
    expect(answer).toBe(
      [
        "Added to the North America Sales agenda: **Call Initech back about the renewal**",
        "Owner: Grace Hopper · due Thu 26 Nov 2026. It stays on every agenda until it is ticked off (or action done).",
      ].join("\n"),
    );
    expect(await items()).toMatchObject([
      {
        scope: "na-sales",
        text: "Call Initech back about the renewal",
        owner: `teams:${USERS.grace.aad}`,
        createdBy: `teams:${USERS.charles.aad}`,
        dueAt: new Date("2026-11-27T04:59:59.999Z"),
        status: "open",
      },
    ]);
    expect(await say("action list na-sales")).toContain(
      "1. “Call Initech back about the renewal” (Grace Hopper, due Thu 26 Nov 2026)",
    );
    expect(await say('action "Fix routing" <at>Grace Hopper</at> someday', USERS.charles, [USERS.grace])).toContain(
      'Baton cannot read "someday"',
    );
    expect(await items()).toHaveLength(1);
  });

  it("Action.Execute agenda_action_done marks the item done by the clicker and says so; again, it says who did", async () => {
    const item = await createActionItem(t.db.prisma, {
      scope: "na-sales",
      text: "Share the win story",
      owner: `teams:${USERS.grace.aad}`,
      createdBy: null,
    });

    expect(invokeMessage(await tick({ actionItemId: item.id }, USERS.charles))).toBe(
      "Done: “Share the win story” (Grace Hopper). The next agenda shows it ticked off.",
    );
    expect(await items()).toMatchObject([{ status: "done", doneBy: `teams:${USERS.charles.aad}`, doneAt: NOW }]);

    expect(invokeMessage(await tick({ actionItemId: item.id }, USERS.grace))).toBe(
      "“Share the win story” (Grace Hopper) was already done by Charles Babbage on Wed 25 Nov 2026.",
    );
    expect(await items()).toMatchObject([{ status: "done", doneBy: `teams:${USERS.charles.aad}` }]);
    // The next agenda carries over only what is open.
    expect(await say("action list na-sales")).toContain("No open action items on the North America Sales agenda.");
  });

  it("an unknown, malformed or missing item id is answered in words, never a 500", async () => {
    expect(invokeMessage(await tick({ actionItemId: "0193a7c2-0000-7000-8000-00000000dead" }, USERS.grace))).toBe(
      "Baton has no such action item: it may have been erased. See action list.",
    );
    expect(invokeMessage(await tick({ actionItemId: "'; DROP TABLE x; --" }, USERS.grace))).toBe(
      "Baton has no such action item: it may have been erased. See action list.",
    );
    expect(invokeMessage(await tick({}, USERS.grace))).toBe(
      "This checkbox is missing its action item. See action list.",
    );
  });

  it("a tick from a tenant that is not allowed is refused before anything is read", async () => {
    const item = await createActionItem(t.db.prisma, { scope: "joint", text: "A", owner: "Grace", createdBy: null });
    const refused = await tick({ actionItemId: item.id }, USERS.grace, "00000000-0000-4000-8000-0000000000ff");
    expect(refused.status).toBe(403);
    expect(await items()).toMatchObject([{ status: "open", doneBy: null }]);
  });
});
