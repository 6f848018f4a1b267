import { describe, expect, it } from "vitest";
import { parseConsoleCommand, runConsoleCommand } from "../../src/console/console-commands.ts";
import type { HandoffService } from "../../src/handoff/handoff-types.ts";

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
    ["lead ada@example.com", { kind: "lead", query: "ada@example.com" }],
    ["", { kind: "help" }],
  ])("%j", (line, expected) => {
    expect(parseConsoleCommand(line)).toEqual(expected);
  });

  it.each([
    ["accept L1", "usage: accept <lead id> as <rep>"],
    ["reject L1 as ada", "usage: reject <lead id> as <rep> <reason> [comment]"],
    ["lead", "usage: lead <email or lead id>"],
    ["dance", 'unknown command "dance". Type help.'],
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

  it("acts as the named rep and prints the handoff's answer", async () => {
    expect(await runConsoleCommand(handoff, "accept L1 as grace")).toBe(
      "Only members of EMEA Sales can take or reject this lead.",
    );
    expect(calls).toEqual([["accept", "L1", { user: "console:grace" }]]);
    expect(await runConsoleCommand(handoff, "reject L1 as ada other")).toBe("A comment is required.");
    expect(await runConsoleCommand(handoff, "reject L1 as ada wrong_territory")).toBe(
      "Rejected. Re-routed to NA Sales.",
    );
    expect(await runConsoleCommand(handoff, "help")).toContain("accept <lead id> as <rep>");
  });
});
