import { describe, expect, it } from "vitest";
import {
  buildDealOutcomeModal,
  parseDealOutcomeModalContext,
  readDealOutcomeSubmission,
} from "../../src/slack/deal-outcome-modal.ts";

type Block = { type: string; block_id?: string; label?: { text: string }; element?: { initial_value?: string } };

describe("the deal outcome modal", () => {
  it("asks Won for the amount and currency (USD by default), under the handoff's field names", () => {
    const view = buildDealOutcomeModal({ leadId: "L1", step: "won", conversation: "slack:C1" }, "Ada · Engines");
    expect(view).toMatchObject({
      callback_id: "lead_deal_outcome",
      title: { text: "Mark the deal won" },
      submit: { text: "Mark won" },
    });
    const inputs = (view.blocks as Block[]).filter((block) => block.type === "input");
    expect(inputs.map((block) => [block.block_id, block.label?.text, block.element?.initial_value])).toEqual([
      ["amount", "Amount", undefined],
      ["currency", "Currency", "USD"],
    ]);
    expect(parseDealOutcomeModalContext(view.private_metadata)).toEqual({
      leadId: "L1",
      step: "won",
      conversation: "slack:C1",
    });
  });

  it("asks Lost for its reason only", () => {
    const view = buildDealOutcomeModal({ leadId: "L1", step: "lost" }, undefined);
    const inputs = (view.blocks as Block[]).filter((block) => block.type === "input");
    expect(inputs.map((block) => block.block_id)).toEqual(["reason"]);
  });

  it("refuses metadata it did not write, and reads what was typed", () => {
    expect(parseDealOutcomeModalContext('{"leadId":"L1","step":"disqualify"}')).toBeUndefined();
    expect(parseDealOutcomeModalContext("not json")).toBeUndefined();
    expect(
      readDealOutcomeSubmission({ amount: { amount: { value: "32,000" } }, currency: { currency: { value: "eur" } } }),
    ).toEqual({ amount: "32,000", currency: "eur", reason: undefined });
  });
});
