import { describe, expect, it } from "vitest";
import {
  helpMessage,
  parseCommand,
  tokenize,
  unknownCommandReply,
  VERBS,
} from "../../../src/domain/commands/command-grammar.ts";

describe("the command grammar", () => {
  it.each([
    ["", { verb: "help" }],
    ["   ", { verb: "help" }],
    ["help", { verb: "help" }],
    ["HELP", { verb: "help" }],
    ["lead ada@example.com", { verb: "lead", query: "ada@example.com" }],
    ["LEAD Ada@Example.com", { verb: "lead", query: "Ada@Example.com" }],
    [
      "lead <mailto:ada@example.com|ada@example.com>",
      { verb: "lead", query: "<mailto:ada@example.com|ada@example.com>" },
    ],
    ["lead\u00a0ada@example.com", { verb: "lead", query: "ada@example.com" }],
    ["reload", { verb: "reload" }],
    ["forget ada@example.com", { verb: "forget", email: "ada@example.com" }],
    ["forget <mailto:ada@example.com|ada@example.com>", { verb: "forget", email: "ada@example.com" }],
    ["outbox", { verb: "outbox" }],
    [
      "outbox retry 0193b2c4-0000-7000-8000-000000000001",
      { verb: "outbox", retry: "0193b2c4-0000-7000-8000-000000000001" },
    ],
    ["kpi", { verb: "kpi", args: [] }],
    ["kpi last-week emea-sales", { verb: "kpi", args: ["last-week", "emea-sales"] }],
    ["agenda emea-sales", { verb: "agenda", args: ["emea-sales"] }],
    ["sla", { verb: "sla", args: [] }],
  ])("%j → %j", (text, command) => {
    expect(parseCommand(text)).toEqual({ ok: true, command });
  });

  it.each([
    ["lead", "`lead` needs the lead's email address or id. Usage: `lead <email or lead id>`"],
    ["lead a@b.example c@d.example", "`lead` takes one email address or lead id. Usage: `lead <email or lead id>`"],
    ["reload now", "`reload` takes no arguments. Usage: `reload`"],
    ["forget", "`forget` takes one email address. Usage: `forget <email>`"],
    [
      "outbox retry",
      "`outbox` lists stuck and failed messages; `outbox retry <message id>` tries one again. Usage: `outbox [retry <message id>]`",
    ],
    ["forget Ada Lovelace", "`forget` takes one email address. Usage: `forget <email>`"],
    ["dance", "Baton doesn't know `dance`."],
    ["<@U123|ada>", "Baton doesn't know `<@U123|ada>`."],
  ])("%j is refused: %s", (text, problem) => {
    const parsed = parseCommand(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reply.blocks[0]).toEqual({ type: "text", text: problem });
    // Every refusal also lists what Baton does understand.
    expect(parsed.reply.text).toContain("lead <email or lead id>");
  });

  it("keeps quoted phrases and Slack's <…> links together as one word", () => {
    expect(tokenize('action "call Ada back" <@U1|ada> <mailto:a@b.example|a@b.example>')).toEqual([
      "action",
      "call Ada back",
      "<@U1|ada>",
      "<mailto:a@b.example|a@b.example>",
    ]);
  });

  it("help lists every verb once, from the same entries", () => {
    const help = helpMessage();
    for (const verb of VERBS)
      expect(help.blocks[1]).toMatchObject({ text: expect.stringContaining(`\`${verb.usage}\``) });
    expect(help.text).toBe(
      [
        "Baton hands marketing's leads to sales. Lead cards appear in your team's channel: Accept or Reject them there, then log first touch, mark SQL or disqualify from the same card; after SQL, record the deal there too (Opportunity, Won, Lost) if no CRM does.",
        [
          "• lead <email or lead id>: a lead's status, owner, SLA clocks and history",
          "• kpi [period] [team|@rep|source:…|campaign:…]: marketing and sales numbers side by side",
          "• agenda [post] [team]: preview the weekly sales–marketing (or a team's) agenda; with post, post it now (admins)",
          '• action "text" @owner [due] [team]: add an action item to the weekly agenda; action list [team] lists them, action done <n|id> ticks one off',
          "• sla [team]: open SLA clocks, leads at risk and breaches",
          "• spend <amount> <channel> [campaign] [week]: record a week's marketing spend (admins)",
          "• forget <email>: erase a person everywhere, keeping the counts KPIs need (admins)",
          "• outbox [retry <message id>]: messages stuck or given up on, and retrying one (admins)",
          "• reload: re-read Baton's configuration file (admins)",
          "• help: this message",
        ].join("\n"),
        "In Slack type /baton and a command; in Teams mention @Baton in a channel, or write to Baton in a chat.",
      ].join("\n\n"),
    );
  });

  it("cuts a long unknown word short", () => {
    expect(unknownCommandReply("x".repeat(100)).blocks[0]).toEqual({
      type: "text",
      text: `Baton doesn't know \`${"x".repeat(40)}\`.`,
    });
  });
});
