/**
 * The weekly agenda on Teams, through the job runner, the outbox and the fake Bot Connector: one Adaptive Card in
 * the agenda's channel, with the funnel chart inside it and a "Done" Action.Execute per open action item.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BatonConfig } from "../../src/config/baton-config.ts";
import { seedAgendaQuarter } from "../agenda/agenda-quarter-seed.ts";
import type { TestBaton } from "../support/start-baton.ts";
import {
  CHANNELS,
  cardOf,
  type FakeBotFramework,
  generateSigningKey,
  installBaton,
  seenOnCard,
  startTeamsTestBaton,
  teamsTestConfig,
} from "./teams-test-kit.ts";

const key = generateSigningKey("baton-test-key");
const MONDAY_NINE = new Date("2026-11-23T09:00:00Z");

describe("the weekly agenda on Teams", () => {
  let t: TestBaton;
  let fake: FakeBotFramework;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    const config: BatonConfig = {
      ...teamsTestConfig(),
      agenda: { schedule: "0 9 * * MON", timezone: "Europe/London", channel: `teams:${CHANNELS.marketing}` },
    };
    ({ t, fake, stop } = await startTeamsTestBaton(key, {
      batonConfig: config,
      now: () => new Date(MONDAY_NINE.getTime() + 60_000),
    }));
  });

  afterEach(() => stop());

  it("posts the agenda card once, the chart inside it, a Done button per open action item", async () => {
    expect(await installBaton(t.url, key, fake.serviceUrl, CHANNELS.marketing)).toBe(200);
    await seedAgendaQuarter(t.db.prisma, { faults: true });
    await t.db.prisma.actionItem.create({
      data: {
        id: "0190a000-0000-7000-8000-0000000000aa",
        scope: "joint",
        text: "Fix the Nordics routing",
        owner: "Grace Hopper",
      },
    });
    const [job] = t.baton.weeklyAgendas();
    expect(await t.baton.jobs.runOnce(job, MONDAY_NINE)).toBe("ran");
    expect(await t.baton.jobs.runOnce(job, MONDAY_NINE)).toBe("skipped");
    await t.baton.outbox.drain();

    const posts = fake.posts().filter((call) => call.conversation === CHANNELS.marketing);
    expect(posts).toHaveLength(1);
    // Small enough for Teams' message limit (40 KB for years; 100 KB now).
    expect(JSON.stringify(posts[0].body).length).toBeLessThan(40_000);
    const card = cardOf(posts[0].body);
    const seen = seenOnCard(card);
    expect(seen).toContain("Test Corp sales & marketing: weekly agenda, week of 2026-11-23");
    expect(seen).toContain("EMEA accept → first touch slowed down");
    expect(seen).toContain("⬜ Fix the Nordics routing (Grace Hopper)");
    expect(seen).toContain("[button: Done]");
    const json = JSON.stringify(card);
    expect(json).toMatch(/"type":"Image","url":"data:image\/png;base64,iVBORw0KGgo[A-Za-z0-9+/=]{1000,}"/);
    expect(json).toContain(
      '"verb":"agenda_action_done","data":{"actionItemId":"0190a000-0000-7000-8000-0000000000aa"}',
    );
  });
});
