import { describe, expect, it } from "vitest";
import { conversionDropPValue, normalUpperTail, slowdownPValue } from "../../../src/domain/agenda/significance.ts";

describe("the agenda's significance guards", () => {
  it("reads the normal tail", () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 6);
    expect(normalUpperTail(1.96)).toBeCloseTo(0.025, 3);
    expect(normalUpperTail(-1.96)).toBeCloseTo(0.975, 3);
  });

  it("finds a real conversion drop and not a small sample's wobble", () => {
    expect(conversionDropPValue({ hits: 10, total: 30 }, { hits: 90, total: 120 })).toBeLessThan(0.001);
    expect(conversionDropPValue({ hits: 3, total: 5 }, { hits: 90, total: 120 })).toBeGreaterThan(0.1);
    // Better is never "worse".
    expect(conversionDropPValue({ hits: 29, total: 30 }, { hits: 90, total: 120 })).toBeGreaterThan(0.9);
  });

  it("finds a doubled duration and ignores a shuffled one (Mann–Whitney)", () => {
    const baseline = Array.from({ length: 60 }, (_, i) => 60 + ((i * 37) % 120));
    const doubled = Array.from({ length: 20 }, (_, i) => 2 * (60 + ((i * 53) % 120)));
    const same = Array.from({ length: 20 }, (_, i) => 60 + ((i * 53) % 120));
    expect(slowdownPValue(doubled, baseline)).toBeLessThan(0.001);
    expect(slowdownPValue(same, baseline)).toBeGreaterThan(0.2);
    expect(slowdownPValue([], baseline)).toBe(1);
    expect(slowdownPValue([5, 5, 5], [5, 5, 5])).toBe(1);
  });
});
