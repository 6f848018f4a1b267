import { describe, expect, it } from "vitest";
import { formatDealAmount, parseAmount, readDealOutcome } from "../../../src/domain/leads/deal-outcome.ts";

describe("reading a deal outcome typed on the card", () => {
  it.each([
    ["32000", 32000],
    ["32,000", 32000],
    [" 32 000.50 ", 32000.5],
    ["0.99", 0.99],
    ["32.001", undefined],
    ["-5", undefined],
    ["1e5", undefined],
    ["thirty", undefined],
    ["", undefined],
  ])("amount %j reads as %j", (typed, amount) => {
    expect(parseAmount(typed)).toBe(amount);
  });

  it("reads an amount and currency the CRM webhook would send, USD by default", () => {
    expect(readDealOutcome("won", { amount: "32,000", currency: " eur " })).toEqual({
      ok: true,
      outcome: { type: "won", amount: 32000, currency: "EUR" },
    });
    expect(readDealOutcome("opportunity", { amount: "9000", currency: "" })).toEqual({
      ok: true,
      outcome: { type: "opportunity", amount: 9000, currency: "USD" },
    });
  });

  it("names each field that is wrong", () => {
    expect(readDealOutcome("won", { amount: "", currency: "euro" })).toEqual({
      ok: false,
      errors: { amount: "Enter the deal's amount.", currency: "Use a three-letter currency code, e.g. USD or EUR." },
    });
    expect(readDealOutcome("won", { amount: "0" })).toEqual({
      ok: false,
      errors: { amount: "The amount must be more than 0." },
    });
    expect(readDealOutcome("opportunity", { amount: "1,000,000,000,000" })).toEqual({
      ok: false,
      errors: { amount: "The amount must be less than 1,000,000,000,000." },
    });
  });

  it("asks a lost deal for its reason, and only that", () => {
    expect(readDealOutcome("lost", { reason: "  Chose a competitor ", amount: "nonsense" })).toEqual({
      ok: true,
      outcome: { type: "lost", reason: "Chose a competitor" },
    });
    expect(readDealOutcome("lost", { reason: " " })).toEqual({
      ok: false,
      errors: { reason: "Say why the deal was lost: marketing and the weekly meeting read it." },
    });
    expect(readDealOutcome("lost", { reason: "bad\u0000byte" })).toMatchObject({ ok: false });
  });

  it("shows amounts with thousands separators and cents only when there are some", () => {
    expect(formatDealAmount("32000", "USD")).toBe("32,000 USD");
    expect(formatDealAmount("12500.5", "EUR")).toBe("12,500.50 EUR");
  });
});
