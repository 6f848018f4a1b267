/**
 * `action …` through the one command answerer every platform uses, on PGlite and PostgreSQL, with the clock
 * injected: what is stored, and the replies as people read them.
 */
import { pino } from "pino";
import { expect, it } from "vitest";
import { createCommandAnswerer } from "../../src/commands/answer-command.ts";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";

const config = parseBatonConfig(`
timezone: UTC
agenda: { timezone: Europe/Berlin }
teams:
  - id: emea-sales
    name: EMEA Sales
    channel: "slack:C0EMEA"
    timezone: Europe/London
    reps: [{ id: ada, name: Ada Lovelace, slackUserId: U0ADA, teamsUserId: aad-ada }]
  - id: na-sales
    name: North America Sales
    channel: "teams:19:na@thread.tacv2"
    timezone: America/New_York
    reps: [{ id: grace, name: Grace Hopper, teamsUserId: aad-grace }]
routing: { fallbackTeam: emea-sales }
`);
// Wednesday 25 November 2026, 22:30 in Berlin, 16:30 in New York.
const NOW = new Date("2026-11-25T21:30:00Z");

describeEachDatabase("the action command", (database) => {
  async function setUp() {
    const db = await database();
    await syncConfigToDatabase(db.prisma, config);
    const answer = createCommandAnswerer({
      prisma: db.prisma,
      batonConfig: () => config,
      logger: pino({ level: "silent" }),
      now: () => NOW,
    });
    return { db, answer };
  }

  it("adds items to the joint agenda or a team's, names item, owner and due date, and lists them numbered", async () => {
    const { db, answer } = await setUp();

    const slack = await answer('action "Fix EMEA routing" <@U0ADA> friday', "slack:U0BOSS");
    expect(slack.blocks).toEqual([
      { type: "text", text: "Added to the joint sales–marketing agenda: *Fix EMEA routing*" },
      {
        type: "text",
        text: "Owner: Ada Lovelace · due Fri 27 Nov 2026. It stays on every agenda until it is ticked off (or `action done`).",
      },
    ]);
    // Teams: the mention's display name is a rep, stored by their Teams id; `tomorrow` in New York.
    const teams = await answer('action "Call Initech back" <at>Grace Hopper</at> tomorrow na-sales', "teams:aad-x");
    expect(teams.text).toBe(
      "Added to the North America Sales agenda: Call Initech back\n\nOwner: Grace Hopper · due Thu 26 Nov 2026. It stays on every agenda until it is ticked off (or action done).",
    );
    const console = await answer('action "Review reject reasons" "Marketing Ops" next week', "console:operator");
    expect(console.blocks[1]).toMatchObject({
      text: expect.stringMatching(/^Owner: Marketing Ops · due Wed 2 Dec 2026\./),
    });
    // A Slack user Baton has no name for: the name Slack sent with the mention confirms it.
    const stranger = await answer("action Send the deck <@U0SAM|sam>", "slack:U0BOSS");
    expect(stranger.blocks[1]).toMatchObject({ text: expect.stringMatching(/^Owner: sam · no due date\./) });
    // `@ada` from Slack is Ada's Slack id; so is `@Ada Lovelace`, as Slack sends a mention typed in /baton.
    await answer('action "Share the win story" @ada', "slack:U0BOSS");
    expect((await answer('action "Book the QBR" @Ada Lovelace emea-sales', "slack:U0BOSS")).blocks[0]).toEqual({
      type: "text",
      text: "Added to the EMEA Sales agenda: *Book the QBR*",
    });

    const stored = await db.prisma.actionItem.findMany({ orderBy: { createdAt: "asc" } });
    expect(
      stored.map(({ scope, teamId, text, owner, createdBy, dueAt, status }) => ({
        scope,
        teamId,
        text,
        owner,
        createdBy,
        dueAt,
        status,
      })),
    ).toEqual([
      {
        scope: "joint",
        teamId: null,
        text: "Fix EMEA routing",
        owner: "slack:U0ADA",
        createdBy: "slack:U0BOSS",
        // The end of Friday in Berlin, the joint agenda's time zone.
        dueAt: new Date("2026-11-27T22:59:59.999Z"),
        status: "open",
      },
      {
        scope: "na-sales",
        teamId: "na-sales",
        text: "Call Initech back",
        owner: "teams:aad-grace",
        createdBy: "teams:aad-x",
        dueAt: new Date("2026-11-27T04:59:59.999Z"),
        status: "open",
      },
      {
        scope: "joint",
        teamId: null,
        text: "Review reject reasons",
        owner: "Marketing Ops",
        createdBy: "console:operator",
        dueAt: new Date("2026-12-02T22:59:59.999Z"),
        status: "open",
      },
      {
        scope: "joint",
        teamId: null,
        text: "Send the deck",
        owner: "slack:U0SAM",
        createdBy: "slack:U0BOSS",
        dueAt: null,
        status: "open",
      },
      {
        scope: "joint",
        teamId: null,
        text: "Share the win story",
        owner: "slack:U0ADA",
        createdBy: "slack:U0BOSS",
        dueAt: null,
        status: "open",
      },
      {
        scope: "emea-sales",
        teamId: "emea-sales",
        text: "Book the QBR",
        owner: "slack:U0ADA",
        createdBy: "slack:U0BOSS",
        dueAt: null,
        status: "open",
      },
    ]);

    expect((await answer("action list", "teams:aad-grace")).text).toBe(
      [
        "Open action items on the joint sales–marketing agenda (4)",
        [
          "1. “Fix EMEA routing” (Ada Lovelace, due Fri 27 Nov 2026)",
          "2. “Review reject reasons” (Marketing Ops, due Wed 2 Dec 2026)",
          "3. “Send the deck” (Slack user U0SAM)",
          "4. “Share the win story” (Ada Lovelace)",
        ].join("\n"),
        "Close one with action done <n>.",
      ].join("\n\n"),
    );
    expect((await answer("action list NA-Sales", "slack:U0ADA")).blocks[1]).toEqual({
      type: "text",
      text: "1. “Call Initech back” (Grace Hopper, due Thu 26 Nov 2026)",
    });
  });

  it("done and drop close an item by its number or id, once; the list moves up", async () => {
    const { db, answer } = await setUp();
    await answer('action "First" @ada', "slack:U0BOSS");
    await answer('action "Second" @grace friday', "slack:U0BOSS");
    await answer('action "Third" "Marketing Ops"', "slack:U0BOSS");
    const second = await db.prisma.actionItem.findFirstOrThrow({ where: { text: "Second" } });

    expect((await answer("action done 2", "slack:U0ADA")).text).toBe(
      "Done: “Second” (Grace Hopper, due Fri 27 Nov 2026). The next agenda shows it ticked off.",
    );
    expect(await db.prisma.actionItem.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      status: "done",
      doneAt: NOW,
      doneBy: "slack:U0ADA",
    });
    // By id, again, by someone else: nothing changes, and they are told who did it.
    expect((await answer(`action done ${second.id}`, "teams:aad-grace")).text).toBe(
      "“Second” (Grace Hopper, due Fri 27 Nov 2026) was already done by Ada Lovelace on Wed 25 Nov 2026.",
    );
    expect((await answer("action drop 2", "console:operator")).text).toBe(
      "Dropped: “Third” (Marketing Ops). It no longer carries over to the next agenda.",
    );
    expect((await answer("action list", "slack:U0ADA")).blocks[1]).toEqual({
      type: "text",
      text: "1. “First” (Ada Lovelace)",
    });
    expect((await answer("action done 5", "slack:U0ADA")).text).toBe(
      "There is no open action item number 5 on the joint sales–marketing agenda: see action list.",
    );
    expect((await answer("action done 0193a7c2-0000-7000-8000-000000000001", "slack:U0ADA")).text).toBe(
      "Baton has no such action item: it may have been erased. See action list.",
    );
    expect((await answer("action done 1 emea-sales", "slack:U0ADA")).text).toBe(
      "There is no open action item number 1 on the EMEA Sales agenda: see action list emea-sales.",
    );
    expect((await answer("action list", "slack:U0ADA")).blocks[1]).toEqual({
      type: "text",
      text: "1. “First” (Ada Lovelace)",
    });
  });

  it.each([
    ['action "Fix routing"', "Every action item needs an owner: an @mention or a name, after the text."],
    ['action "Fix routing" @ada 2026-11-24', "2026-11-24 is in the past."],
    [
      'action "Fix routing" @ada someday',
      'Baton cannot read "someday": it is not a team (emea-sales, na-sales) nor a due date',
    ],
    [
      'action "Fix routing" Ada apac',
      'Baton cannot read "apac": it is not a team (emea-sales, na-sales) nor a due date',
    ],
    ["action list apac", 'There is no team "apac". Teams: emea-sales, na-sales (no team: the joint agenda).'],
    ["action done 1 apac", 'There is no team "apac".'],
  ])("%j gets the usage and stores nothing: %s", async (text, problem) => {
    const { db, answer } = await setUp();
    const reply = await answer(text, "slack:U0ADA");
    expect(reply.blocks[0]).toMatchObject({ type: "text", text: expect.stringContaining(problem) });
    expect(reply.blocks[1]).toMatchObject({
      type: "text",
      text: expect.stringContaining('`action "text" @owner [due] [team]`'),
    });
    expect(await db.prisma.actionItem.count()).toBe(0);
  });
});
