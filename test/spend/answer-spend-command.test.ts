import { describe, expect, it } from "vitest";
import { EXAMPLE_CONFIG_PATH, loadBatonConfig } from "../../src/config/baton-config.ts";
import { parseSpendCommand } from "../../src/domain/kpi/parse-spend-command.ts";
import { answerSpendCommand } from "../../src/spend/answer-spend-command.ts";
import { describeEachDatabase } from "../support/databases.ts";

const config = loadBatonConfig(EXAMPLE_CONFIG_PATH); // admins: [console:you]
const NOW = new Date("2026-11-25T12:00:00Z"); // Wednesday

describe("parseSpendCommand", () => {
  it.each([
    ["1200 paid-search", { week: "2026-11-23", channel: "paid-search", campaign: "", amount: 1200 }],
    [
      '1,200.50 events "Q4 webinar" 2026-11-18',
      { week: "2026-11-16", channel: "events", campaign: "Q4 webinar", amount: 1200.5 },
    ],
    ["300 social spring 2026-11-02", { week: "2026-11-02", channel: "social", campaign: "spring", amount: 300 }],
  ])("%j", (text, row) => {
    expect(parseSpendCommand(text, "2026-11-25")).toEqual({ ok: true, row: { ...row, currency: "USD" } });
  });
  it.each([
    ["", "Give at least an amount and a channel."],
    ["12 paid-search Q4 webinar", "Too many words: put a campaign with spaces in quotes."],
    ["-5 paid-search", "amount must be an amount like 1200.50, not negative."],
    ['5 paid-search "Q4', "A quote is not closed."],
  ])("refuses %j", (text, error) => {
    expect(parseSpendCommand(text, "2026-11-25")).toEqual({ ok: false, error });
  });
});

describeEachDatabase("answerSpendCommand", (database) => {
  it("records an admin's spend for the week, replaces it when typed again, and refuses others", async () => {
    const { prisma } = await database();
    const deps = { prisma, batonConfig: () => config };
    expect((await answerSpendCommand(deps, "1200 paid-search", "slack:U000ADA", NOW)).text).toBe(
      "Only Baton's admins can record marketing spend.",
    );
    expect((await answerSpendCommand(deps, "1200 paid-search", "console:you", NOW)).text).toBe(
      "Recorded 1200.00 USD for paid-search, week of 2026-11-23.",
    );
    await answerSpendCommand(deps, "900 paid-search", "console:you", NOW);
    expect((await answerSpendCommand(deps, "oops", "console:you", NOW)).text).toBe(
      'Give at least an amount and a channel. Usage: spend <amount> <channel> [campaign] [week], e.g. `spend 1200 paid-search "Q4 webinar" 2026-11-16`',
    );
    const rows = await prisma.marketingSpend.findMany();
    expect(rows.map((row) => [row.weekStart.toISOString().slice(0, 10), row.channel, row.amount.toString()])).toEqual([
      ["2026-11-23", "paid-search", "900"],
    ]);
    expect(await prisma.auditLog.count({ where: { action: "spend.recorded", actor: "console:you" } })).toBe(2);
  });
});
