import { describe, expect, it } from "vitest";
import {
  namedAccountOf,
  pickRep,
  type RepState,
  type RoutingPolicy,
  routeLead,
  type TeamState,
} from "../../../src/domain/routing/route-lead.ts";
import type { WorkingSchedule } from "../../../src/domain/sla/business-time.ts";

const allWeek: WorkingSchedule = {
  timeZone: "UTC",
  days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
  start: "00:00",
  end: "24:00",
};
const londonOffice: WorkingSchedule = {
  timeZone: "Europe/London",
  days: ["mon", "tue", "wed", "thu", "fri"],
  start: "09:00",
  end: "17:00",
};
// Tuesday 10:00 London.
const NOW = new Date("2026-11-24T10:00:00Z");

const rep = (id: string, teamId: string, overrides: Partial<RepState> = {}): RepState => ({
  id,
  name: id.toUpperCase(),
  teamId,
  capacity: 10,
  away: false,
  openLeads: 0,
  recentOffers: 0,
  lastOfferedAt: null,
  schedule: allWeek,
  ...overrides,
});

const teams: TeamState[] = [
  { id: "emea", name: "EMEA", reps: [rep("ada", "emea"), rep("charles", "emea")] },
  { id: "na", name: "NA", reps: [rep("grace", "na")] },
  { id: "inside", name: "Inside", reps: [rep("kath", "inside")] },
];

const policy: RoutingPolicy = {
  segments: [
    { id: "smb", minEmployees: 0, maxEmployees: 199 },
    { id: "mid-market", minEmployees: 200, maxEmployees: 999 },
    { id: "enterprise", minEmployees: 1000 },
  ],
  namedAccounts: [{ domain: "analytical.example", owner: "charles" }],
  rules: [
    { id: "emea-mid-market", team: "emea", match: { region: ["EMEA"], segment: ["mid-market", "enterprise"] } },
    { id: "na-enterprise", team: "na", match: { country: ["US", "CA"], employees: { min: 1000 } } },
    { id: "software-hot", team: "inside", match: { industry: ["Software"], score: { min: 80 }, source: ["hubspot"] } },
  ],
  fallbackTeam: "inside",
};

describe("routeLead", () => {
  it.each([
    [
      "rule on region + segment",
      { source: "hubspot", region: "EMEA", employees: 250 },
      {
        teamId: "emea",
        ruleId: "emea-mid-market",
        reason: "rule `emea-mid-market`: region=EMEA, segment=mid-market, employees 250",
      },
    ],
    [
      "country and employee band",
      { source: "marketo", country: "us", employees: 5000 },
      { teamId: "na", ruleId: "na-enterprise", reason: "rule `na-enterprise`: country=US, employees 5000" },
    ],
    [
      "industry, score and source together",
      { source: "HubSpot", industry: "software", score: 90 },
      {
        teamId: "inside",
        ruleId: "software-hot",
        reason: "rule `software-hot`: industry=software, score 90, source=HubSpot",
      },
    ],
    [
      "a condition on a missing field does not match",
      { source: "hubspot", region: "EMEA" },
      { teamId: "inside", ruleId: "fallback", reason: "no rule matched: fallback team" },
    ],
    [
      "outside every rule → fallback team",
      { source: "web", country: "BR", employees: 50 },
      { teamId: "inside", ruleId: "fallback", reason: "no rule matched: fallback team" },
    ],
    [
      "named account wins over rules",
      { source: "hubspot", region: "EMEA", employees: 5000, companyDomain: "Analytical.example" },
      {
        teamId: "emea",
        repId: "charles",
        ruleId: "named-account",
        reason: "named account analytical.example: owned by CHARLES",
      },
    ],
  ])("%s", (_title, lead, expected) => {
    const decision = routeLead(lead, policy, teams, { now: NOW });
    expect(decision).toMatchObject({ ...expected, reason: expect.stringContaining(expected.reason) });
  });

  it("says which rep round-robin suggests and whom it skipped", () => {
    const withAway: TeamState[] = [
      { id: "emea", name: "EMEA", reps: [rep("ada", "emea", { away: true }), rep("charles", "emea")] },
      ...teams.slice(1),
    ];
    const decision = routeLead({ source: "x", region: "EMEA", employees: 300 }, policy, withAway, { now: NOW });
    expect(decision).toEqual({
      teamId: "emea",
      repId: "charles",
      ruleId: "emea-mid-market",
      reason:
        "rule `emea-mid-market`: region=EMEA, segment=mid-market, employees 300; round-robin: CHARLES (skipped ADA away)",
    });
  });

  it("recognises a named account's subdomains, the most specific account winning", () => {
    const accounts = [
      { domain: "acme.example", owner: "ada" },
      { domain: "eu.acme.example", owner: "charles" },
    ];
    expect(namedAccountOf("Sales.EU.acme.example", accounts)?.owner).toBe("charles");
    expect(namedAccountOf("us.acme.example", accounts)?.owner).toBe("ada");
    expect(namedAccountOf("acme.example", accounts)?.owner).toBe("ada");
    expect(namedAccountOf("notacme.example", accounts)).toBeUndefined();
    expect(namedAccountOf(undefined, accounts)).toBeUndefined();
  });

  it("sends a named account to the owner's team when the owner is away", () => {
    const ownerAway = teams.map((team) =>
      team.id === "emea" ? { ...team, reps: [rep("ada", "emea"), rep("charles", "emea", { away: true })] } : team,
    );
    const decision = routeLead({ source: "x", companyDomain: "analytical.example" }, policy, ownerAway, { now: NOW });
    expect(decision).toMatchObject({ teamId: "emea", repId: "ada", ruleId: "named-account" });
    expect(decision?.reason).toContain("owner CHARLES is away");
  });

  it("never picks a team that already declined, and gives up when all did", () => {
    const lead = { source: "x", region: "EMEA", employees: 300 };
    expect(routeLead(lead, policy, teams, { now: NOW, excludeTeamIds: ["emea"] })?.teamId).toBe("inside");
    expect(routeLead(lead, policy, teams, { now: NOW, excludeTeamIds: ["emea", "inside"] })?.teamId).toBe("na");
    expect(routeLead(lead, policy, teams, { now: NOW, excludeTeamIds: ["emea", "inside", "na"] })).toBeNull();
  });
});

/** Plays the router many times, remembering offers as the database would. */
function simulate(reps: RepState[], leads: number, now = NOW) {
  const team: TeamState = { id: "t", name: "T", reps: reps.map((r) => ({ ...r })) };
  const counts = new Map<string | null, number>();
  for (let i = 0; i < leads; i++) {
    const at = new Date(now.getTime() + i * 1000);
    const { rep: chosen } = pickRep(team, at);
    counts.set(chosen?.id ?? null, (counts.get(chosen?.id ?? null) ?? 0) + 1);
    if (chosen) {
      chosen.recentOffers++;
      chosen.lastOfferedAt = at;
    }
  }
  return counts;
}

describe("round-robin", () => {
  it("spreads 1,000 leads over 4 equal reps within 1 of each other", () => {
    const counts = simulate([rep("a", "t"), rep("b", "t"), rep("c", "t"), rep("d", "t")], 1000);
    const values = ["a", "b", "c", "d"].map((id) => counts.get(id) ?? 0);
    expect(values.reduce((sum, n) => sum + n, 0)).toBe(1000);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  });

  it("gives an away rep nothing", () => {
    const counts = simulate([rep("a", "t"), rep("b", "t", { away: true }), rep("c", "t")], 300);
    expect(counts.get("b")).toBeUndefined();
    expect(counts.get("a")).toBe(150);
  });

  it("weights by capacity", () => {
    const counts = simulate([rep("big", "t", { capacity: 20 }), rep("small", "t", { capacity: 10 })], 300);
    expect(counts.get("big")).toBe(200);
    expect(counts.get("small")).toBe(100);
  });

  it("skips reps at capacity and outside their working hours", () => {
    const saturday = new Date("2026-11-28T12:00:00Z");
    const team: TeamState = {
      id: "t",
      name: "T",
      reps: [rep("full", "t", { openLeads: 10 }), rep("office", "t", { schedule: londonOffice }), rep("always", "t")],
    };
    expect(pickRep(team, saturday)).toEqual({
      rep: expect.objectContaining({ id: "always" }),
      skipped: ["FULL at capacity", "OFFICE off hours"],
    });
    expect(pickRep(team, NOW).rep?.id).toBe("always");
    const nobody = { ...team, reps: [rep("x", "t", { away: true })] };
    expect(pickRep(nobody, NOW).rep).toBeNull();
  });
});
