/** The agenda from plain facts: ranking and the cap, each kind's wording, and a new install's short agenda. */
import { describe, expect, it } from "vitest";
import type { AgendaFacts } from "../../../src/domain/agenda/agenda-facts.ts";
import { agendaMessage } from "../../../src/domain/agenda/agenda-message.ts";
import { agendaWeeksOf } from "../../../src/domain/agenda/agenda-week.ts";
import { buildAgenda, GETTING_STARTED, MAX_DISCUSSION_ITEMS } from "../../../src/domain/agenda/build-agenda.ts";
import { summariseFunnel } from "../../../src/domain/agenda/funnel-stages.ts";

const NOW = new Date("2026-11-23T09:00:00Z");
const weeks = agendaWeeksOf("2026-11-23", "Europe/London");

function facts(overrides: Partial<AgendaFacts> = {}): AgendaFacts {
  return {
    scope: "joint",
    team: null,
    organization: "Test Corp",
    marketingName: "Demand Gen",
    timezone: "Europe/London",
    weekStart: "2026-11-23",
    thisWeek: { start: weeks.thisWeek.start, end: weeks.thisWeek.end },
    reviewedWeek: { start: weeks.reviewedWeek.start, end: weeks.reviewedWeek.end },
    baseline: weeks.baseline,
    hasLeads: true,
    funnel: summariseFunnel([], weeks.reviewedWeek, weeks.baseline),
    findingLeadIds: {},
    openDeals: [],
    untouchedLeads: [],
    slaBreaches: [],
    rejects: [],
    mqlsReviewedWeek: 30,
    weeklyMqlTarget: 40,
    kpis: null,
    actionItems: [],
    leadLinks: {},
    ...overrides,
  };
}

const deal = (n: number, amount: number, stage: string, closeDate: string | null = null) => ({
  dealId: `d${n}`,
  leadId: `l${n}`,
  name: `Deal ${n}`,
  amount,
  currency: "EUR",
  stage,
  ownerName: `Rep ${n}`,
  closeDate,
});

describe("buildAgenda", () => {
  it("ranks, keeps at most ten items, opportunities first", () => {
    const agenda = buildAgenda(
      facts({
        openDeals: [
          deal(1, 100_000, "proposal"),
          deal(2, 90_000, "commit"),
          deal(3, 20_000, "open"),
          deal(4, 10_000, "demo", "2026-11-26"),
        ],
        slaBreaches: Array.from({ length: 12 }, (_, i) => ({
          leadId: `b${i}`,
          kind: i % 3 === 0 ? ("accept" as const) : ("first_touch" as const),
          repName: `Rep ${i % 5}`,
          teamName: "EMEA Sales",
        })),
        rejects: Array.from({ length: 10 }, (_, i) => ({
          leadId: `r${i}`,
          segment: "EMEA",
          reason: i < 7 ? "wrong_territory" : "not_a_fit",
        })),
      }),
      NOW,
    );
    expect(agenda.items).toHaveLength(MAX_DISCUSSION_ITEMS);
    expect(agenda.items.map((item) => item.section)).toEqual(
      [...agenda.items.map((item) => item.section)].sort().reverse(),
    );
    const titles = agenda.items.map((item) => item.title);
    expect(titles).toContain("70 % of EMEA rejects: wrong territory");
    expect(titles).toContain("MQLs 10 short of the weekly target");
    expect(titles).toContain("Rep 1: 3 SLA breaches last week");
    // The lowest-ranked candidate, the third deal, is the one left out.
    expect(agenda.items.filter((item) => item.kind === "top-deal")).toHaveLength(2);
    expect(titles).toContain("1 deal expected to close this week");
    expect(agenda.items.find((item) => item.kind === "mql-shortfall")).toMatchObject({
      owner: "Demand Gen",
      evidence: "30 of 40 MQLs last week (75 %)",
    });
    // Weighted by stage: 90,000 at commit (81,000) before 100,000 at proposal (50,000).
    expect(agenda.items.filter((item) => item.kind === "top-deal").map((item) => item.title)).toEqual(
      expect.arrayContaining(["Deal 2: 90,000 EUR (commit)"]),
    );
  });

  it("gives a new install a short agenda saying how to connect the marketing system", () => {
    const agenda = buildAgenda(facts({ hasLeads: false }), NOW);
    expect(agenda.items).toEqual([]);
    expect(agenda.gettingStarted).toBe(GETTING_STARTED);
    const message = agendaMessage(agenda);
    expect(message.text).toMatch(
      /^Test Corp sales & marketing: weekly agenda, week of 2026-11-23: No MQLs yet: here is how to connect your marketing system\./,
    );
    expect(JSON.stringify(message.blocks)).not.toContain("Opportunities");
  });

  it("says so when nothing is worse than usual, and names a team's agenda after the team", () => {
    const agenda = buildAgenda(
      facts({ scope: "emea", team: { id: "emea", name: "EMEA Sales" }, weeklyMqlTarget: null }),
      NOW,
    );
    expect(agenda.title).toBe("EMEA Sales: weekly agenda, week of 2026-11-23");
    const text = agendaMessage(agenda, { postedLate: true })
      .blocks.map((block) => ("text" in block ? block.text : ""))
      .join("\n");
    expect(text).toContain("Posted late: Baton was not running when this agenda was due.");
    expect(text).toContain("Nothing worse than usual: no SLA breach, reject cluster or slowdown.");
  });
});
