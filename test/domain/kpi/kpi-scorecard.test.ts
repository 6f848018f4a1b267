import { describe, expect, it } from "vitest";
import { renderConsoleMessage } from "../../../src/console/console-chat.ts";
import type { KpiReport } from "../../../src/domain/kpi/kpi-report.ts";
import { describeChange, kpiScorecard } from "../../../src/domain/kpi/kpi-scorecard.ts";
import { readSlackBlocks, renderBlocks } from "../../../src/slack/render-blocks.ts";
import { renderAdaptiveCard } from "../../../src/teams/render-adaptive-card.ts";
import { EMPTY_KPIS, PREVIOUS_WEEK_KPIS, WEEK_KPIS } from "../../kpi/kpi-expected.ts";
import { seenOnCard } from "../../teams/teams-test-kit.ts";

const week: KpiReport = {
  period: { from: "2026-11-16", to: "2026-11-22", timezone: "Europe/London" },
  previousPeriod: { from: "2026-11-09", to: "2026-11-15" },
  team: null,
  filters: {},
  kpis: WEEK_KPIS,
  previous: PREVIOUS_WEEK_KPIS,
};

const empty: KpiReport = {
  ...week,
  period: { from: "2026-01-05", to: "2026-01-11", timezone: "America/New_York" },
  previousPeriod: { from: "2025-12-29", to: "2026-01-04" },
  team: "na-sales",
  filters: { campaign: "Q4 webinar" },
  kpis: EMPTY_KPIS,
  previous: EMPTY_KPIS,
};

describe("describeChange", () => {
  it.each([
    [8, 2, "count", "▲ 300%"],
    [1, 2, "count", "▼ 50%"],
    [3, 0, "money", "▲ new"],
    [5, 5, "count", "="],
    [0.8333, 1, "rate", "▼ 16.7 pp"],
    [0.5, 0.375, "rate", "▲ 12.5 pp"],
    [null, 0.5, "rate", ""],
    [0.5, null, "rate", ""],
  ] as const)("%s after %s (%s) is %j", (current, previous, kind, expected) => {
    expect(describeChange(current, previous, kind)).toBe(expected);
  });
});

describe("kpiScorecard", () => {
  it("reads as plain text on Slack: marketing and sales side by side, changes and pp", () => {
    const slack = renderBlocks(kpiScorecard(week));
    expect(slack.text).toBe(
      "KPIs 2026-11-16..2026-11-22 (all teams): 8 MQLs, acceptance 83.3%, 2 won (74,000), win rate 66.7%.",
    );
    expect(readSlackBlocks(slack.blocks)).toBe(
      [
        "KPIs · 16 Nov 2026 – 22 Nov 2026",
        "all teams · vs 9 Nov 2026 – 15 Nov 2026 · Europe/London",
        "*Marketing*",
        "*Sales*",
        "*MQLs*: 8  ▲ 300%",
        "*Median time to accept*: 30 min  ▲ 100%",
        "*MQL target*: 6.7%  ▲ 5 pp",
        "*Accept SLA breached*: 1  ▲ new",
        "*Acceptance rate*: 83.3%  ▼ 16.7 pp",
        "*First-touch SLA breached*: 1  =",
        "*Rejected*: 1  ▲ new",
        "*Won*: 2  ▲ new",
        "*MQL → SQL*: 37.5%  ▼ 62.5 pp",
        "*Lost*: 1  ▲ new",
        "*Spend*: 2,000  ▲ 100%",
        "*Win rate*: 66.7%",
        "*Cost per MQL*: 250  ▼ 50%",
        "*Won revenue*: 74,000  ▲ new",
        "*Marketing-sourced revenue*: 24,000  ▲ new",
        "*Open pipeline*: 23,000  ▼ 60%",
        "Reject reasons: Duplicate 1, Not a fit 1, Wrong territory 1 · Quota: 108.1% ▲ 108.1 pp · Retention: 50% · Est. lifetime value: 69,333.33",
      ].join("\n"),
    );
    expect(slack).toMatchSnapshot();
  });

  it("reads as plain text in a Teams card, one column per side", () => {
    const card = renderAdaptiveCard(kpiScorecard(week));
    expect(seenOnCard(card)).toBe(
      [
        "KPIs · 16 Nov 2026 – 22 Nov 2026",
        "all teams · vs 9 Nov 2026 – 15 Nov 2026 · Europe/London",
        "Marketing",
        "MQLs: 8  ▲ 300%",
        "MQL target: 6.7%  ▲ 5 pp",
        "Acceptance rate: 83.3%  ▼ 16.7 pp",
        "Rejected: 1  ▲ new",
        "MQL → SQL: 37.5%  ▼ 62.5 pp",
        "Spend: 2,000  ▲ 100%",
        "Cost per MQL: 250  ▼ 50%",
        "Marketing-sourced revenue: 24,000  ▲ new",
        "Sales",
        "Median time to accept: 30 min  ▲ 100%",
        "Accept SLA breached: 1  ▲ new",
        "First-touch SLA breached: 1  =",
        "Won: 2  ▲ new",
        "Lost: 1  ▲ new",
        "Win rate: 66.7%",
        "Won revenue: 74,000  ▲ new",
        "Open pipeline: 23,000  ▼ 60%",
        "Reject reasons: Duplicate 1, Not a fit 1, Wrong territory 1 · Quota: 108.1% ▲ 108.1 pp · Retention: 50% · Est. lifetime value: 69,333.33",
      ].join("\n"),
    );
    expect(card).toMatchSnapshot();
  });

  it("shows an empty period's rates as —, with its scope, on every platform", () => {
    const message = kpiScorecard(empty, { teamName: "North America Sales" });
    const console = renderConsoleMessage(message);
    expect(console).toBe(
      [
        "KPIS · 5 JAN 2026 – 11 JAN 2026",
        "North America Sales · campaign Q4 webinar · vs 29 Dec 2025 – 4 Jan 2026 · America/New_York",
        "Marketing",
        "  MQLs: 0  =",
        "  MQL target: 0%  =",
        "  Acceptance rate: —",
        "  Rejected: 0  =",
        "  MQL → SQL: —",
        "  Spend: —",
        "  Cost per MQL: —",
        "  Marketing-sourced revenue: 0  =",
        "Sales",
        "  Median time to accept: —",
        "  Accept SLA breached: 0  =",
        "  First-touch SLA breached: 0  =",
        "  Won: 0  =",
        "  Lost: 0  =",
        "  Win rate: —",
        "  Won revenue: 0  =",
        "  Open pipeline: 0  =",
      ].join("\n"),
    );
    expect(renderBlocks(message)).toMatchSnapshot();
    expect(renderAdaptiveCard(message)).toMatchSnapshot();
  });
});
