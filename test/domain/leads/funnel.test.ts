import { describe, expect, it } from "vitest";
import { ZCrmEvent } from "../../../src/domain/leads/funnel.ts";

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
