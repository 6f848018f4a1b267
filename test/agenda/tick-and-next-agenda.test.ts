/**
 * The action items' round trip, end to end: the posted agenda's tick box is clicked (a signed Slack block_actions
 * built from the blocks Baton posted; a Teams Action.Execute from the card Baton posted), the item is done, the next
 * week's agenda shows it ticked, and the week after no longer shows it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createActionItem } from "../../src/agenda/action-items.ts";
import type { BatonConfig } from "../../src/config/baton-config.ts";
import { readSlackBlocks, type SlackBlock, type SlackCheckboxes } from "../../src/slack/render-blocks.ts";
import {
  type FakeSlack,
  interactionBody,
  postToSlackEndpoint,
  CHANNELS as SLACK_CHANNELS,
  USERS as SLACK_USERS,
  slackJsonFixture,
  slackTestConfig,
  startSlackTestBaton,
} from "../slack/slack-test-kit.ts";
import type { TestBaton } from "../support/start-baton.ts";
import {
  APP_ID,
  cardOf,
  channelToken,
  type FakeBotFramework,
  generateSigningKey,
  installBaton,
  postActivity,
  seenOnCard,
  startTeamsTestBaton,
  CHANNELS as TEAMS_CHANNELS,
  USERS as TEAMS_USERS,
  TENANT_ID,
  teamsFixture,
  teamsTestConfig,
} from "../teams/teams-test-kit.ts";

const WEEK_1 = new Date("2027-01-04T09:00:00Z");
const WEEK_2 = new Date("2027-01-11T09:00:00Z");
const WEEK_3 = new Date("2027-01-18T09:00:00Z");
const minutesAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

describe("ticking an action item on Slack", () => {
  let t: TestBaton;
  let slack: FakeSlack;
  let stop: () => Promise<void>;
  let clock = WEEK_1;

  beforeEach(async () => {
    clock = WEEK_1;
    const config: BatonConfig = {
      ...slackTestConfig(),
      agenda: { schedule: "0 9 * * MON", timezone: "Europe/London", channel: `slack:${SLACK_CHANNELS.marketing}` },
    };
    ({ t, slack, stop } = await startSlackTestBaton({ batonConfig: config, now: () => clock }));
  });
  afterEach(() => stop());

  async function postAgenda(at: Date) {
    clock = at;
    const [job] = t.baton.weeklyAgendas();
    expect(await t.baton.jobs.runOnce(job, at)).toBe("ran");
    await t.baton.outbox.drain();
    const post = slack.callsTo("chat.postMessage").at(-1);
    return { post, blocks: (post?.args.blocks ?? []) as SlackBlock[] };
  }

  it("marks it done, and the next agenda shows it ticked, once", async () => {
    clock = minutesAfter(WEEK_1, -60 * 24 * 3);
    const item = await createActionItem(t.db.prisma, {
      scope: "joint",
      text: "Agree the MQL definition",
      owner: "Ada Lovelace",
      createdBy: `slack:${SLACK_USERS.grace}`,
    });

    const week1 = await postAgenda(WEEK_1);
    expect(readSlackBlocks(week1.blocks)).toContain("[ ] Agree the MQL definition (Ada Lovelace)");

    // Grace ticks the box in the posted message: Slack sends the message's own blocks back with the selection.
    clock = minutesAfter(WEEK_1, 30);
    const payload = slackJsonFixture<Record<string, unknown>>("block-actions-agenda-checkboxes.json", {
      USER_ID: SLACK_USERS.grace,
      USER_NAME: "grace.hopper",
      CHANNEL_ID: SLACK_CHANNELS.marketing,
      MESSAGE_TS: String(week1.post?.response?.ts),
      OPTIONS: "",
      INITIAL_OPTIONS: "",
      SELECTED_OPTIONS: "",
    });
    const checklist = week1.blocks.find((block) => block.type === "section" && block.accessory);
    const checkboxes = (checklist as { accessory: SlackCheckboxes }).accessory;
    const blockId = "agenda-actions";
    (payload.message as { blocks: unknown[] }).blocks = week1.blocks.map((block) =>
      block === checklist ? { ...block, block_id: blockId } : block,
    );
    const selected = checkboxes.options.filter((option) => option.value === item.id);
    (payload.actions as Record<string, unknown>[])[0].selected_options = selected;
    const state = payload.state as { values: Record<string, Record<string, Record<string, unknown>>> };
    state.values[blockId].agenda_action_done.selected_options = selected;
    expect((await postToSlackEndpoint(t.url, interactionBody(payload))).status).toBe(200);
    await expect
      .poll(async () => (await t.db.prisma.actionItem.findUniqueOrThrow({ where: { id: item.id } })).status)
      .toBe("done");
    expect(await t.db.prisma.actionItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      doneBy: `slack:${SLACK_USERS.grace}`,
    });

    const week2 = await postAgenda(WEEK_2);
    expect(readSlackBlocks(week2.blocks)).toContain("[x] Agree the MQL definition (Ada Lovelace)");
    const week3 = await postAgenda(WEEK_3);
    expect(readSlackBlocks(week3.blocks)).not.toContain("Agree the MQL definition");
    expect(readSlackBlocks(week3.blocks)).toContain('None yet: `action "text" @owner [due]` adds one.');
  });
});

const key = generateSigningKey("baton-test-key");

describe("ticking an action item on Teams", () => {
  let t: TestBaton;
  let fake: FakeBotFramework;
  let stop: () => Promise<void>;
  let clock = WEEK_1;

  beforeEach(async () => {
    clock = WEEK_1;
    const config: BatonConfig = {
      ...teamsTestConfig(),
      agenda: { schedule: "0 9 * * MON", timezone: "Europe/London", channel: `teams:${TEAMS_CHANNELS.marketing}` },
    };
    ({ t, fake, stop } = await startTeamsTestBaton(key, { batonConfig: config, now: () => clock }));
  });
  afterEach(() => stop());

  async function postAgenda(at: Date) {
    clock = at;
    const [job] = t.baton.weeklyAgendas();
    expect(await t.baton.jobs.runOnce(job, at)).toBe("ran");
    await t.baton.outbox.drain();
    const posts = fake.posts().filter((call) => call.conversation === TEAMS_CHANNELS.marketing);
    return cardOf(posts.at(-1)?.body ?? {});
  }

  it("marks it done from the card's Done button, and the next agenda shows it ticked, once", async () => {
    expect(await installBaton(t.url, key, fake.serviceUrl, TEAMS_CHANNELS.marketing)).toBe(200);
    clock = minutesAfter(WEEK_1, -60 * 24 * 3);
    const item = await createActionItem(t.db.prisma, {
      scope: "joint",
      text: "Agree the MQL definition",
      owner: "Ada Lovelace",
      createdBy: `teams:${TEAMS_USERS.grace.aad}`,
    });

    const week1 = await postAgenda(WEEK_1);
    expect(seenOnCard(week1)).toContain("⬜ Agree the MQL definition (Ada Lovelace)");
    const done = JSON.stringify(week1).match(
      /\{"type":"Action\.Execute","title":"Done","verb":"([^"]+)","data":(\{[^}]*\})\}/,
    );
    expect(done?.[1]).toBe("agenda_action_done");

    clock = minutesAfter(WEEK_1, 30);
    const activity = teamsFixture("invoke-adaptive-card-action.json", {
      SERVICE_URL: fake.serviceUrl,
      TENANT_ID,
      APP_ID,
      CONVERSATION_ID: TEAMS_CHANNELS.marketing,
      MESSAGE_ID: "activity-agenda",
      VERB: done?.[1],
      DATA: JSON.parse(done?.[2] ?? "{}"),
      AAD_ID: TEAMS_USERS.grace.aad,
      USER_NAME: TEAMS_USERS.grace.name,
    });
    const response = await postActivity(t.url, activity, `Bearer ${channelToken(key, fake.serviceUrl)}`);
    expect(response.status).toBe(200);
    expect(await t.db.prisma.actionItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      status: "done",
      doneBy: `teams:${TEAMS_USERS.grace.aad}`,
    });

    const week2 = await postAgenda(WEEK_2);
    expect(seenOnCard(week2)).toContain("✅ ~~Agree the MQL definition~~ (Ada Lovelace)");
    expect(JSON.stringify(week2)).not.toContain('"verb":"agenda_action_done"');
    const week3 = await postAgenda(WEEK_3);
    expect(seenOnCard(week3)).not.toContain("Agree the MQL definition");
  });
});
