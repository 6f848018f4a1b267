/** The words of `action …` as the one grammar reads them, from Slack, Teams and the console alike. */
import { describe, expect, it } from "vitest";
import { describeOwner } from "../../../src/domain/agenda/action-item-messages.ts";
import { helpMessage, parseCommand } from "../../../src/domain/commands/command-grammar.ts";

const parsed = (text: string) => {
  const result = parseCommand(text);
  if (!result.ok) throw new Error(`refused: ${result.reply.text}`);
  if (result.command.verb !== "action") throw new Error(`not an action: ${result.command.verb}`);
  return result.command.request;
};

describe("the `action` verb", () => {
  it.each([
    [
      'action "Fix EMEA routing" <@U0ADA|ada> friday',
      {
        kind: "add",
        text: "Fix EMEA routing",
        owner: { kind: "user", user: "slack:U0ADA", label: "ada" },
        due: "friday",
        words: [],
      },
    ],
    [
      'action "Fix EMEA routing" <@U0ADA> next week emea-sales',
      {
        kind: "add",
        text: "Fix EMEA routing",
        owner: { kind: "user", user: "slack:U0ADA" },
        due: "next week",
        words: ["emea-sales"],
      },
    ],
    // Teams keeps a mention's display name between <at> tags; the grammar's tokenizer splits it at the space.
    [
      'action "Call Initech back" <at>Grace Hopper</at> 2026-12-01',
      {
        kind: "add",
        text: "Call Initech back",
        owner: { kind: "mention", name: "Grace Hopper" },
        due: "2026-12-01",
        words: [],
      },
    ],
    // Without quotes, the text runs up to the owner's mention.
    [
      "action Call Initech back @grace tomorrow na-sales",
      {
        kind: "add",
        text: "Call Initech back",
        owner: { kind: "handle", handle: "grace" },
        due: "tomorrow",
        words: ["na-sales"],
      },
    ],
    // A free-text owner, in quotes when it has spaces; curly quotes as Teams and phones type them.
    [
      "action “Send the Q1 plan” “Ada Lovelace” today",
      { kind: "add", text: "Send the Q1 plan", due: "today", words: ["Ada Lovelace"] },
    ],
    ['action "Review rejects" Ada', { kind: "add", text: "Review rejects", words: ["Ada"] }],
    ["action list", { kind: "list" }],
    ["action LIST EMEA-Sales", { kind: "list", team: "emea-sales" }],
    ["action done 2", { kind: "done", item: "2" }],
    ["action done 3 emea-sales", { kind: "done", item: "3", team: "emea-sales" }],
    [
      "action drop 0193a7c2-0000-7000-8000-000000000001",
      { kind: "drop", item: "0193a7c2-0000-7000-8000-000000000001" },
    ],
  ])("%j", (text, request) => {
    expect(parsed(text)).toEqual(request);
  });

  it.each([
    ["action", "`action` needs the item's text and its owner"],
    ["action done", "`action done` needs the item's number (see `action list`) or id."],
    ["action list emea-sales now", "`action list` takes at most a team."],
    ["action done 1 emea-sales now", "`action done` takes an item's number or id, and at most a team."],
    ['action "A" @ada @grace', "Give one owner per action item."],
    ['action "A" @ada friday monday', "Give one due date."],
    ["action @ada do it", "Start with what is to be done, then its owner."],
    ["action Fix routing for EMEA friday", 'Too many words after the text: "routing", "for", "EMEA".'],
    [`action "${"x".repeat(501)}" @ada`, "Keep the text under 500 characters."],
  ])("%j is refused privately, with the usage: %s", (text, problem) => {
    const result = parseCommand(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [first] = result.reply.blocks;
    expect(first.type === "text" && first.text).toContain(problem);
    expect(first.type === "text" && first.text).toContain('Usage: `action "text" @owner [due] [team]`');
  });

  it("is listed in help with its list and done forms", () => {
    expect(helpMessage().text).toContain(
      'action "text" @owner [due] [team]: add an action item to the weekly agenda; action list [team] lists them, action done <n|id> ticks one off',
    );
  });
});

describe("owners as people read them", () => {
  const people = [{ name: "Ada Lovelace", slackUserId: "U0ADA", teamsUserId: "aad-ada" }];
  it.each([
    ["slack:U0ADA", "Ada Lovelace"],
    ["teams:aad-ada", "Ada Lovelace"],
    ["slack:U0SAM", "Slack user U0SAM"],
    ["teams:aad-sam", "Teams user aad-sam"],
    ["console:operator", "the local operator"],
    ["Marketing Ops", "Marketing Ops"],
    [null, "no owner"],
  ])("%j → %j", (owner, shown) => {
    expect(describeOwner(owner, people)).toBe(shown);
  });
});
