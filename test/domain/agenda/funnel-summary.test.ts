/**
 * The slowdown tests on the funnel summary find exactly what they found when they ran over every lead's passages:
 * the same findings, samples, medians and p-values (to the last bit) and the same leads, over generated funnels.
 * The summary is what the loader computes in SQL (test/agenda/funnel-summary-sql.test.ts holds the two equal).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FunnelLead, Window } from "../../../src/domain/agenda/agenda-facts.ts";
import {
  compareFunnel,
  FAMILY_ALPHA,
  FUNNEL_STAGES,
  FUNNEL_STEPS,
  findingLeadIds,
  findStageSlowdowns,
  funnelCounts,
  MIN_BASELINE_SAMPLE,
  MIN_CONVERSION_DROP,
  MIN_CURRENT_SAMPLE,
  MIN_SLOWDOWN_RATIO,
  passagesOf,
  type StagePassage,
  stageFindingKey,
  summariseFunnel,
} from "../../../src/domain/agenda/funnel-stages.ts";
import { conversionDropPValue, median, slowdownPValue } from "../../../src/domain/agenda/significance.ts";
import { BASELINE, funnelLeadRows, funnelLeadsOf, REVIEWED } from "../../support/funnel-leads.ts";

/**
 * The slowdown tests as they were written before the summary (each group's passages collected, then counted,
 * sorted and ranked there), kept here as the oracle. Lead ids come out in the leads' order.
 */
function slowdownsOverPassages(leads: FunnelLead[], reviewed: Window, baseline: Window) {
  const inWindow = (window: Window, at: Date) => at >= window.start && at < window.end;
  const minutes = (p: StagePassage) => (p.exitedAt.getTime() - p.enteredAt.getTime()) / 60_000;
  const passages = leads.flatMap(passagesOf);
  const segments = [...new Set(leads.map((lead) => lead.segment))].sort();
  const candidates = [];
  let tests = 0;
  for (const stage of FUNNEL_STAGES) {
    for (const segment of [null, ...segments]) {
      const ofGroup = passages.filter((p) => p.stage === stage.id && (segment === null || p.segment === segment));
      const current = ofGroup.filter((p) => inWindow(reviewed, p.exitedAt));
      const before = ofGroup.filter((p) => inWindow(baseline, p.exitedAt));
      const base = { stage: stage.id, stageLabel: stage.label, segment };
      if (current.length >= MIN_CURRENT_SAMPLE && before.length >= MIN_BASELINE_SAMPLE) {
        tests++;
        const hits = current.filter((p) => p.converted).length;
        const baseHits = before.filter((p) => p.converted).length;
        const [rate, baseRate] = [hits / current.length, baseHits / before.length];
        if (baseRate - rate >= MIN_CONVERSION_DROP) {
          candidates.push({
            ...base,
            metric: "conversion" as const,
            current: { value: rate, sample: current.length },
            baseline: { value: baseRate, sample: before.length },
            pValue: conversionDropPValue({ hits, total: current.length }, { hits: baseHits, total: before.length }),
            leadIds: current.filter((p) => !p.converted).map((p) => p.leadId),
          });
        }
      }
      const fast = current.filter((p) => p.converted);
      const baseFast = before.filter((p) => p.converted);
      if (fast.length >= MIN_CURRENT_SAMPLE && baseFast.length >= MIN_BASELINE_SAMPLE) {
        tests++;
        const currentMedian = median(fast.map(minutes)) ?? 0;
        const baseMedian = median(baseFast.map(minutes)) ?? 0;
        if (baseMedian > 0 && currentMedian / baseMedian >= MIN_SLOWDOWN_RATIO) {
          candidates.push({
            ...base,
            metric: "speed" as const,
            current: { value: currentMedian, sample: fast.length },
            baseline: { value: baseMedian, sample: baseFast.length },
            pValue: slowdownPValue(fast.map(minutes), baseFast.map(minutes)),
            leadIds: [...fast]
              .sort((a, b) => minutes(b) - minutes(a))
              .slice(0, 5)
              .map((p) => p.leadId),
          });
        }
      }
    }
  }
  const significant = candidates.filter((c) => c.pValue < FAMILY_ALPHA / Math.max(1, tests));
  return significant
    .filter(
      (f) =>
        f.segment !== null ||
        !significant.some((o) => o.segment !== null && o.stage === f.stage && o.metric === f.metric),
    )
    .sort((a, b) => a.pValue - b.pValue);
}

describe("the funnel summary", () => {
  it("finds what the tests over every passage found: samples, medians, p-values and leads", () => {
    let findings = 0;
    fc.assert(
      fc.property(funnelLeadRows({ maxLeads: 240 }), (rows) => {
        // In lead-id order, so that the oracle's ties among the slowest come out as the summary breaks them.
        const leads = funnelLeadsOf(rows).sort((a, b) => (a.leadId < b.leadId ? -1 : 1));
        const expected = slowdownsOverPassages(leads, REVIEWED, BASELINE);
        const found = findStageSlowdowns(summariseFunnel(leads, REVIEWED, BASELINE));
        expect(found).toEqual(expected.map(({ leadIds, ...finding }) => finding));
        const ids = findingLeadIds(leads, REVIEWED, found);
        for (const finding of expected) {
          const named = ids[stageFindingKey(finding)];
          // Dropped passages are named in the order they dropped out, the slowest slowest first.
          if (finding.metric === "conversion") expect([...named].sort()).toEqual([...finding.leadIds].sort());
          else expect(named).toEqual(finding.leadIds);
        }
        findings += found.length;
      }),
      { numRuns: 150 },
    );
    // The generated funnels do come up with findings: the comparison above is not of empty lists.
    expect(findings).toBeGreaterThan(20);
  });

  it("compares the reviewed week's funnel with the baseline's weekly average", () => {
    fc.assert(
      fc.property(funnelLeadRows({ maxLeads: 60 }), (rows) => {
        const leads = funnelLeadsOf(rows);
        const comparison = compareFunnel(summariseFunnel(leads, REVIEWED, BASELINE), BASELINE);
        const [now, before] = [funnelCounts(leads, REVIEWED), funnelCounts(leads, BASELINE)];
        expect(comparison.steps).toEqual(
          FUNNEL_STEPS.map((step) => ({
            ...step,
            reviewed: now[step.key],
            baselineAverage: Math.round((before[step.key] / 4) * 10) / 10,
          })),
        );
      }),
      { numRuns: 50 },
    );
  });
});
