import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createCommandAnswerer } from "../../src/commands/answer-command.ts";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import { renderConsoleMessage } from "../../src/console/console-chat.ts";
import type { KpiReport } from "../../src/domain/kpi/kpi-report.ts";
import type { KpiRequest } from "../../src/domain/kpi/kpi-request.ts";
import { parseKpiCommand } from "../../src/domain/kpi/parse-kpi-command.ts";
import { answerKpiCommand } from "../../src/kpi/answer-kpi-command.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { EMPTY_KPIS, NOW } from "./kpi-expected.ts";

const config = loadBatonConfig(EXAMPLE_CONFIG_PATH);

/** Answers the command with a fake report loader and returns what it was asked for. */
async function ask(args: string) {
  const requests: KpiRequest[] = [];
  const message = await answerKpiCommand(
    {
      batonConfig: () => config,
      loadReport: async (request) => {
        requests.push(request);
        const { team, ...filters } = request.scope;
        return {
          period: { from: request.period.from, to: request.period.to, timezone: request.period.timezone },
          previousPeriod: { from: request.previous.from, to: request.previous.to },
          team: team ?? null,
          filters,
          kpis: EMPTY_KPIS,
          previous: EMPTY_KPIS,
        } satisfies KpiReport;
      },
    },
    args,
    NOW,
  );
  return { message, request: requests[0], text: renderConsoleMessage(message) };
}

describe("kpi command arguments", () => {
  it.each([
    ["", { from: "2026-11-23", to: "2026-11-29", timezone: "Europe/London" }, {}],
    ["qtd", { from: "2026-10-01", to: "2026-11-25", timezone: "Europe/London" }, {}],
    [
      "na-sales LAST-WEEK",
      { from: "2026-11-16", to: "2026-11-22", timezone: "America/New_York" },
      { team: "na-sales" },
    ],
    ["30d @ada", { from: "2026-10-27", timezone: "Europe/London" }, { rep: "ada" }],
    ["<@U000CHARLES|charles> mtd", { from: "2026-11-01" }, { rep: "charles" }],
    ["<at>Grace Hopper</at>", { timezone: "America/New_York" }, { rep: "grace" }],
    [
      '2026-11-01..2026-11-15 campaign:"Q4 webinar"',
      { from: "2026-11-01", to: "2026-11-15" },
      { campaign: "Q4 webinar" },
    ],
    ["source:HubSpot campaign:“Spring launch”", {}, { source: "hubspot", campaign: "Spring launch" }],
  ])("%j asks for %j scoped %j", async (args, period, scope) => {
    const { request, message } = await ask(args);
    expect(request.period).toMatchObject(period);
    expect(request.scope).toEqual(scope);
    expect(message.blocks[0]).toMatchObject({ type: "header" });
  });

  it.each([
    ["ytd", 'Unknown team "ytd": use one of emea-sales, na-sales, inside-sales.'],
    ["2026-13-01..2026-13-02", '"2026-13-01" is not a date: write it YYYY-MM-DD.'],
    ["qtd mtd", 'Give at most one period (got "mtd" too).'],
    ["emea-sales na-sales", 'Give at most one team (got "na-sales" too).'],
    ["@nobody", 'Unknown rep "nobody".'],
    ["<@U999>", "That person is not a rep in Baton's configuration."],
    ['campaign:"Q4 webinar', "A quote is not closed."],
    ["source:", "Say which source: source:<name>."],
  ])("answers %j with the usage and what was wrong, loading nothing", async (args, problem) => {
    const { request, text, message } = await ask(args);
    expect(request).toBeUndefined();
    expect(message.text).toBe(`${problem} Usage: kpi [period] [team|@rep|source:…|campaign:…]`);
    expect(text).toContain("Usage: `kpi [period] [team|@rep|source:…|campaign:…]`");
  });

  it("keeps a period that is not one for the period check, not the team check", () => {
    expect(parseKpiCommand("2026-11-01..")).toEqual({ ok: true, args: { period: "2026-11-01.." } });
  });
});

describeEachDatabase("kpi and spend through the shared command grammar", (database) => {
  it("reads quoted campaigns and Teams mentions the grammar split into words; spend for admins", async () => {
    const { prisma } = await database();
    const answer = createCommandAnswerer({
      prisma,
      batonConfig: () => config,
      logger: pino({ level: "silent" }),
      now: () => NOW,
    });
    expect((await answer('kpi qtd campaign:"Q4 webinar"', "slack:U000ADA")).text).toBe(
      "KPIs 2026-10-01..2026-11-25 (campaign Q4 webinar): 0 MQLs, acceptance —, 0 won (0), win rate —.",
    );
    expect((await answer("kpi <at>Grace Hopper</at>", "teams:aad-1")).text).toMatch(/\(rep grace\)/);
    expect((await answer('spend 1200 paid-search "Q4 webinar"', "slack:U000ADA")).text).toContain(
      "Only Baton admins can run spend",
    );
    expect((await answer('spend 1200 paid-search "Q4 webinar"', "console:operator")).text).toBe(
      "Recorded 1200.00 USD for paid-search · Q4 webinar, week of 2026-11-23.",
    );
    expect((await answer('kpi this-week campaign:"Q4 webinar"', "console:operator")).text).toContain("0 MQLs");
  });
});
