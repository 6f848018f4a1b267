import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createCommandAnswerer } from "../../src/commands/answer-command.ts";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { renderConsoleMessage } from "../../src/console/console-chat.ts";
import { LOCAL_MODE_HELP, parseConsoleCommand, runConsoleCommand } from "../../src/console/console-commands.ts";
import type { ChatMessage } from "../../src/domain/chat-message.ts";
import { helpMessage, unknownCommandReply } from "../../src/domain/commands/command-grammar.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import type { HandoffService } from "../../src/handoff/handoff-types.ts";

const say = (text: string): ChatMessage => ({ text, blocks: [{ type: "text", text }] });

describe("parseConsoleCommand", () => {
  it.each([
    ["accept L1 as ada", { kind: "accept", leadId: "L1", rep: "ada" }],
    [
      "  reject L1 as ada other  Budget frozen till May ",
      {
        kind: "reject",
        leadId: "L1",
        rep: "ada",
        reason: "other",
        comment: "Budget frozen till May",
      },
    ],
    [
      "reject L1 as ada duplicate",
      { kind: "reject", leadId: "L1", rep: "ada", reason: "duplicate", comment: undefined },
    ],
    ["touch L1 as ada", { kind: "step", leadId: "L1", rep: "ada", step: "first_touch" }],
    ["sql L1 as ada", { kind: "step", leadId: "L1", rep: "ada", step: "sql" }],
    ["disqualify L1 as ada", { kind: "step", leadId: "L1", rep: "ada", step: "disqualified" }],
    [
      "won L1 as ada 32,000 eur",
      { kind: "deal", leadId: "L1", rep: "ada", step: "won", amount: "32,000", currency: "eur" },
    ],
    [
      "opportunity L1 as ada 9000",
      { kind: "deal", leadId: "L1", rep: "ada", step: "opportunity", amount: "9000", currency: undefined },
    ],
    [
      "lost L1 as ada chose a competitor",
      { kind: "deal", leadId: "L1", rep: "ada", step: "lost", reason: "chose a competitor" },
    ],
    // Everything that is not a click is the shared grammar's.
    ["lead ada@example.com", { kind: "shared", text: "lead ada@example.com" }],
    ["dance", { kind: "shared", text: "dance" }],
    ["", { kind: "shared", text: "" }],
  ])("%j", (line, expected) => {
    expect(parseConsoleCommand(line)).toEqual(expected);
  });

  it.each([
    ["accept L1", "usage: accept <lead id> as <rep>"],
    ["reject L1 as ada", "usage: reject <lead id> as <rep> <reason> [comment]"],
    ["won L1", "usage: won <lead id> as <rep> <amount> [currency]"],
    ["lost L1 ada", "usage: lost <lead id> as <rep> <reason>"],
  ])("%j is refused with a usage line", (line, message) => {
    expect(parseConsoleCommand(line)).toEqual({ kind: "invalid", message });
  });
});

describe("runConsoleCommand", () => {
  const calls: unknown[] = [];
  const handoff = {
    acceptLead: async (leadId, actor) => {
      calls.push(["accept", leadId, actor]);
      return {
        outcome: "refused",
        reply: { text: "Only members of EMEA Sales can take or reject this lead.", blocks: [] },
      };
    },
    rejectLead: async (_leadId, _actor, input) =>
      input.reason === "other" && !input.comment
        ? { outcome: "invalid", errors: { comment: "A comment is required." } }
        : ({ outcome: "rejected", reroutedToTeam: "NA Sales" } as never),
  } as Partial<HandoffService> as HandoffService;
  const answerCommand = createCommandAnswerer({
    prisma: {} as PrismaClient,
    batonConfig: () =>
      parseBatonConfig(`
teams: [{ id: emea, name: EMEA Sales, channel: "console:emea", reps: [{ id: ada, name: Ada Lovelace }] }]
routing: { fallbackTeam: emea }`),
    reloadConfig: async (actor) => ({
      ok: true,
      message: say(`reloaded${actor ? ` for ${actor}` : " by the operator"}`),
    }),
    logger: pino({ level: "silent" }),
  });

  it("acts as the named rep and prints the handoff's answer", async () => {
    expect(await runConsoleCommand(handoff, "accept L1 as grace", answerCommand)).toBe(
      "Only members of EMEA Sales can take or reject this lead.",
    );
    expect(calls).toEqual([["accept", "L1", { user: "console:grace" }]]);
    expect(await runConsoleCommand(handoff, "reject L1 as ada other", answerCommand)).toBe("A comment is required.");
    expect(await runConsoleCommand(handoff, "reject L1 as ada wrong_territory", answerCommand)).toBe(
      "Rejected. Re-routed to NA Sales.",
    );
  });

  it("help prints the help every platform shows, then what local mode adds", async () => {
    const help = await runConsoleCommand(handoff, "help", answerCommand);
    expect(help).toBe(`${renderConsoleMessage(helpMessage())}\n\n${LOCAL_MODE_HELP}`);
    expect(sameWords(help)).toContain(sameWords(helpMessage().text));
    expect(help).toContain("accept <lead id> as <rep>");
  });

  it("an unknown word gets the answer every platform gives", async () => {
    const answer = await runConsoleCommand(handoff, "dance", answerCommand);
    expect(answer).toBe(renderConsoleMessage(unknownCommandReply("dance")));
    expect(sameWords(answer)).toBe(sameWords(unknownCommandReply("dance").text));
  });

  it("the operator at the terminal may reload, as the process's owner", async () => {
    expect(await runConsoleCommand(handoff, "reload", answerCommand)).toBe("reloaded by the operator");
  });
});

/** The words a person reads, whatever the platform's markup (Slack's mrkdwn marks, the console's plain lines). */
function sameWords(text: string): string {
  return text.replace(/[*`_]/g, "").replace(/\s+/g, " ").trim();
}
