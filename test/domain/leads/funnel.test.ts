import { describe, expect, it } from "vitest";
import { funnelTransition, ZCrmEvent } from "../../../src/domain/leads/funnel.ts";

describe("funnelTransition", () => {
  it.each([
    ["accepted", "first_touch", "contacted"],
    ["sql", "first_touch", "sql"],
    ["contacted", "sql", "sql"],
    ["opportunity", "sql", "opportunity"],
    ["sql", "opportunity", "opportunity"],
    ["opportunity", "won", "won"],
    ["contacted", "lost", "lost"],
    ["won", "renewed", "won"],
    ["won", "churned", "won"],
  ] as const)("%s + %s → %s", (from, type, to) => {
    expect(funnelTransition(from, type)).toEqual({ allowed: true, status: to });
  });

  it.each([
    ["rejected", "won", "won is not possible: sales rejected this lead"],
    ["offered", "sql", "sql is not possible: nobody has accepted the lead yet"],
    ["recycled", "opportunity", "opportunity is not possible: the lead was disqualified and went back to marketing"],
    ["lost", "won", "won is not possible: the lead is already lost"],
    ["sql", "renewed", "renewed is not possible: only a won customer can renew or churn"],
  ] as const)("%s + %s is refused", (from, type, reason) => {
    expect(funnelTransition(from, type)).toEqual({ allowed: false, reason });
  });
});

describe("ZCrmEvent", () => {
  it("needs an amount for deals and a way to find the lead", () => {
    const result = ZCrmEvent.safeParse({ source: "salesforce", externalId: "e1", type: "won", lead: {} });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["lead", "must name the lead by id, by email, or by source + externalId"],
      ["amount", "is required for won"],
    ]);
  });
});
