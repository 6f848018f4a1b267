import fc from "fast-check";
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

  it("ranks ties across both samples as the textbook U statistic does (checked against a direct computation)", () => {
    // U by definition: for every pair, 1 when the current value is larger, ½ when equal; tie term from the pooled
    // counts. The fast merge-of-sorted-samples must give the same p-value.
    const textbook = (current: number[], baseline: number[]) => {
      let u = 0;
      for (const x of current) for (const y of baseline) u += x > y ? 1 : x === y ? 0.5 : 0;
      const counts = new Map<number, number>();
      for (const value of [...current, ...baseline]) counts.set(value, (counts.get(value) ?? 0) + 1);
      let tieTerm = 0;
      for (const tied of counts.values()) tieTerm += tied ** 3 - tied;
      const [n1, n0] = [current.length, baseline.length];
      const n = n1 + n0;
      const variance = ((n1 * n0) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
      return variance <= 0 ? 1 : normalUpperTail((u - (n1 * n0) / 2 - 0.5) / Math.sqrt(variance));
    };
    // Small integer durations, so that ties are common.
    const sample = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(sample, sample, (current, baseline) => {
        expect(slowdownPValue(current, baseline)).toBeCloseTo(textbook(current, baseline), 12);
      }),
    );
  });
});
