/** `action …` typed in the playground's command box and at the local-mode prompt: the same grammar and handler. */
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createCommandAnswerer } from "../../src/commands/answer-command.ts";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import { runConsoleCommand } from "../../src/console/console-commands.ts";
import type { HandoffService } from "../../src/handoff/handoff-types.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";

// Wednesday 25 November 2026.
const NOW = new Date("2026-11-25T12:00:00Z");

describe("action items in local mode", () => {
  let baton: TestBaton | undefined;
  afterEach(async () => {
    await baton?.stop();
    baton = undefined;
  });

  it("the playground's command box adds and lists items as the operator", async () => {
    baton = await startTestBaton({ batonConfig: loadBatonConfig(EXAMPLE_CONFIG_PATH), now: () => NOW });
    const type = async (text: string) => {
      const response = await fetch(`${baton?.url}/playground/command`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: String(baton?.url) },
        body: JSON.stringify({ text }),
      });
      expect(response.status).toBe(200);
      return String(((await response.json()) as { reply: string }).reply);
    };
    expect(await type('/baton action "Send the Q1 plan" "Marketing Ops" friday')).toContain(
      "Added to the joint sales–marketing agenda: Send the Q1 plan",
    );
    expect(await type("action list")).toContain("1. “Send the Q1 plan” (Marketing Ops, due Fri 27 Nov 2026)");
    expect(await baton.db.prisma.actionItem.findMany()).toMatchObject([
      { scope: "joint", owner: "Marketing Ops", createdBy: "console:operator", status: "open" },
    ]);
    expect(await type("action done 1")).toContain("Done: “Send the Q1 plan”");
    expect(await baton.db.prisma.actionItem.findMany()).toMatchObject([{ status: "done", doneBy: "console:operator" }]);
  });

  it("the local-mode prompt hands `action …` to the shared commands", async () => {
    const texts: string[] = [];
    const answer = createCommandAnswerer({
      prisma: {} as never,
      batonConfig: () => loadBatonConfig(EXAMPLE_CONFIG_PATH),
      logger: pino({ level: "silent" }),
    });
    const recording: typeof answer = async (text, actor) => {
      texts.push(`${actor}: ${text}`);
      return answer(text, actor);
    };
    const printed = await runConsoleCommand({} as HandoffService, 'action "Call back" @ada someday', recording);
    expect(texts).toEqual(['console:operator: action "Call back" @ada someday']);
    expect(printed).toContain('Baton cannot read "someday"');
  });
});
