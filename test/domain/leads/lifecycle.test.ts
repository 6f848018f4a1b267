import { describe, expect, it } from "vitest";
import {
  CARD_STEPS,
  cardStepsFor,
  LEAD_EVENTS,
  LEAD_STATUSES,
  type LeadEvent,
  type LeadStatus,
  LIFECYCLE_ACTORS,
  type LifecycleActor,
  transition,
} from "../../../src/domain/leads/lifecycle.ts";

/**
 * The whole table, written out by hand: for every event, actor and status, where the lead goes ("→ status"), or
 * "no" for a refusal. A change to the lifecycle shows up here as a diff a reviewer can read.
 */
const EXPECTED: Record<LeadEvent, Record<LifecycleActor, Partial<Record<LeadStatus, string>>>> = {
  offer: {
    rep: {},
    crm: {},
    system: { new: "→ offered", offered: "→ offered", rejected: "→ offered" },
  },
  accept: { rep: { offered: "→ accepted" }, crm: {}, system: {} },
  reject: { rep: { offered: "→ rejected" }, crm: {}, system: {} },
  first_touch: {
    rep: { accepted: "→ contacted" },
    crm: { accepted: "→ contacted", contacted: "→ contacted", sql: "→ sql", opportunity: "→ opportunity" },
    system: {},
  },
  sql: {
    rep: { accepted: "→ sql", contacted: "→ sql" },
    crm: { accepted: "→ sql", contacted: "→ sql", sql: "→ sql", opportunity: "→ opportunity" },
    system: {},
  },
  disqualify: { rep: { accepted: "→ recycled", contacted: "→ recycled" }, crm: {}, system: {} },
  opportunity: {
    rep: { sql: "→ opportunity" },
    crm: { accepted: "→ opportunity", contacted: "→ opportunity", sql: "→ opportunity", opportunity: "→ opportunity" },
    system: {},
  },
  won: {
    rep: { sql: "→ won", opportunity: "→ won" },
    crm: { accepted: "→ won", contacted: "→ won", sql: "→ won", opportunity: "→ won" },
    system: {},
  },
  lost: {
    rep: { sql: "→ lost", opportunity: "→ lost" },
    crm: { accepted: "→ lost", contacted: "→ lost", sql: "→ lost", opportunity: "→ lost" },
    system: {},
  },
  renewed: { rep: {}, crm: { won: "→ won" }, system: {} },
  churned: { rep: {}, crm: { won: "→ won" }, system: {} },
};

describe("the lead lifecycle", () => {
  const cases = LEAD_EVENTS.flatMap((event) =>
    LIFECYCLE_ACTORS.flatMap((actor) => LEAD_STATUSES.map((status) => [event, actor, status] as const)),
  );

  it("covers every event × actor × status", () => {
    expect(cases).toHaveLength(LEAD_EVENTS.length * LIFECYCLE_ACTORS.length * LEAD_STATUSES.length);
  });

  it.each(cases)("%s by %s on a %s lead", (event, actor, status) => {
    const result = transition(status, event, actor);
    const seen = result.allowed ? `→ ${result.to}` : "no";
    expect(seen).toBe(EXPECTED[event][actor][status] ?? "no");
    if (!result.allowed) expect(result.message).toBe(`Can't ${verbOf(event)}: ${result.reason}.`);
  });

  it("never moves a lead backwards: a late CRM sql keeps an opportunity, and says it did not move", () => {
    expect(transition("opportunity", "sql", "crm")).toEqual({ allowed: true, to: "opportunity", moves: false });
    expect(transition("contacted", "sql", "crm")).toEqual({ allowed: true, to: "sql", moves: true });
  });

  it.each([
    ["opportunity", "sql", "rep", "Can't mark the lead as SQL: the lead is already an opportunity."],
    ["sql", "disqualify", "rep", "Can't disqualify the lead: the lead is past SQL: close it as lost."],
    ["contacted", "first_touch", "rep", "Can't log a first touch: a first touch is already logged."],
    ["offered", "first_touch", "rep", "Can't log a first touch: nobody has accepted the lead yet."],
    ["rejected", "won", "crm", "Can't mark the lead won: sales rejected this lead."],
    [
      "recycled",
      "opportunity",
      "crm",
      "Can't open an opportunity: the lead was disqualified and went back to marketing.",
    ],
    ["lost", "won", "crm", "Can't mark the lead won: the lead is already lost."],
    ["sql", "renewed", "crm", "Can't record a renewal: only a won customer can renew or churn."],
    ["accepted", "accept", "rep", "Can't accept the lead: the lead was already accepted."],
    ["offered", "won", "rep", "Can't mark the lead won: nobody has accepted the lead yet."],
    ["contacted", "won", "rep", "Can't mark the lead won: the lead is not an SQL yet: mark it as SQL first."],
    ["accepted", "lost", "rep", "Can't mark the lead lost: the lead is not an SQL yet: mark it as SQL first."],
    ["opportunity", "opportunity", "rep", "Can't open an opportunity: an opportunity is already open."],
    ["won", "won", "rep", "Can't mark the lead won: the lead is already won."],
    ["offered", "renewed", "rep", "Can't record a renewal: only the CRM can."],
  ] as const)("refuses %s + %s by %s with the reason people see", (status, event, actor, message) => {
    expect(transition(status, event, actor)).toMatchObject({ allowed: false, message });
  });
});

describe("the card's buttons come from the same table", () => {
  it.each([
    ["new", []],
    ["offered", ["accept", "reject"]],
    ["accepted", ["first_touch", "sql", "disqualify"]],
    ["rejected", []],
    ["contacted", ["sql", "disqualify"]],
    ["sql", ["opportunity", "won", "lost"]],
    ["opportunity", ["won", "lost"]],
    ["won", []],
    ["lost", []],
    ["recycled", []],
  ] as const)("a %s lead shows %j", (status, steps) => {
    expect(cardStepsFor(status)).toEqual(steps);
    for (const step of CARD_STEPS) {
      expect(transition(status, step, "rep").allowed).toBe((steps as readonly string[]).includes(step));
    }
  });
});

function verbOf(event: LeadEvent): string {
  const verbs: Record<LeadEvent, string> = {
    offer: "offer the lead",
    accept: "accept the lead",
    reject: "reject the lead",
    first_touch: "log a first touch",
    sql: "mark the lead as SQL",
    disqualify: "disqualify the lead",
    opportunity: "open an opportunity",
    won: "mark the lead won",
    lost: "mark the lead lost",
    renewed: "record a renewal",
    churned: "record churn",
  };
  return verbs[event];
}
