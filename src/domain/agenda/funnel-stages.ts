/**
 * The four funnel stages the agenda watches — MQL→accept, accept→first touch, touch→SQL, SQL→won — and how a
 * week compares with the four before: conversion (of the passages decided in the window, the share that went on)
 * and speed (time from entering to leaving the stage), each with a minimum sample and a significance guard. The
 * tests read a {@link FunnelSummary} (counts, ranks, medians), which the loader computes in the database and
 * {@link summariseFunnel} computes here from leads, as the reference the SQL is tested against.
 */
import type { FunnelLead, Window } from "./agenda-facts.ts";
import { conversionDropPValue, mannWhitneyPValue, median, rankSums } from "./significance.ts";

export const FUNNEL_STAGES = [
  { id: "mql_to_accept", label: "MQL → accept" },
  { id: "accept_to_first_touch", label: "accept → first touch" },
  { id: "touch_to_sql", label: "touch → SQL" },
  { id: "sql_to_won", label: "SQL → won" },
] as const;
export type StageId = (typeof FUNNEL_STAGES)[number]["id"];

/** One lead's passage through one stage, dated by when it left it (went on, or dropped out). */
export interface StagePassage {
  stage: StageId;
  leadId: string;
  segment: string;
  enteredAt: Date;
  exitedAt: Date;
  converted: boolean;
}

const CLOSED_WITHOUT_WIN = new Set(["lost", "recycled"]);

/**
 * The stages a lead has left so far. Leads still inside a stage are not counted: their outcome is unknown. The
 * loader's SQL writes the same rules (src/agenda/funnel-passages-sql.ts); a test holds the two equal.
 */
export function passagesOf(lead: FunnelLead): StagePassage[] {
  const passages: StagePassage[] = [];
  const add = (stage: StageId, enteredAt: Date | null, exitedAt: Date | null, converted: boolean) => {
    if (enteredAt && exitedAt)
      passages.push({ stage, leadId: lead.leadId, segment: lead.segment, enteredAt, exitedAt, converted });
  };
  const offered = lead.offeredAt ?? lead.receivedAt;
  if (lead.acceptedAt) add("mql_to_accept", offered, lead.acceptedAt, true);
  else if (lead.rejectedAt && lead.status === "rejected") add("mql_to_accept", offered, lead.rejectedAt, false);
  const droppedAt = CLOSED_WITHOUT_WIN.has(lead.status) ? lead.closedAt : null;
  if (lead.firstTouchAt) add("accept_to_first_touch", lead.acceptedAt, lead.firstTouchAt, true);
  else add("accept_to_first_touch", lead.acceptedAt, droppedAt, false);
  if (lead.sqlAt) add("touch_to_sql", lead.firstTouchAt, lead.sqlAt, true);
  else add("touch_to_sql", lead.firstTouchAt, droppedAt, false);
  if (lead.status === "won") add("sql_to_won", lead.sqlAt, lead.closedAt, true);
  else if (lead.status === "lost") add("sql_to_won", lead.sqlAt, lead.closedAt, false);
  return passages;
}

/** Below these samples a difference is not reported, however large: a quiet week proves nothing. */
export const MIN_CURRENT_SAMPLE = 8;
export const MIN_BASELINE_SAMPLE = 20;
/** Family-wise false-alarm rate per agenda, split over every test run (Bonferroni). */
export const FAMILY_ALPHA = 0.1;
/** Differences too small to discuss even when significant: 10 points of conversion, 25 % slower. */
export const MIN_CONVERSION_DROP = 0.1;
export const MIN_SLOWDOWN_RATIO = 1.25;

export interface StageFinding {
  stage: StageId;
  stageLabel: string;
  /** The region the finding is pinpointed to, or null for the whole funnel. */
  segment: string | null;
  metric: "conversion" | "speed";
  current: { value: number; sample: number };
  baseline: { value: number; sample: number };
  pValue: number;
}

/** One side (the reviewed week, or the baseline weeks) of a stage's comparison. */
export interface StageSide {
  /** Passages that left the stage in the window, going on or dropping out. */
  passages: number;
  /** Of those, the ones that went on. */
  converted: number;
  /** Median minutes from entering the stage to leaving it, over the converted passages; null when there are none. */
  medianMinutes: number | null;
}

/**
 * What the tests of one stage need, for one segment (region) or the whole funnel (`segment` null): how many
 * passages left it in each window and how many went on, the median duration of the converted ones, and the
 * Mann–Whitney inputs over those durations (the current side's rank sum in the pooled sample, and the tie term).
 */
export interface StageSample {
  stage: StageId;
  segment: string | null;
  current: StageSide;
  baseline: StageSide;
  rankSum: number;
  tieTerm: number;
}

/**
 * The funnel of a reviewed week and its baseline weeks, reduced to what the agenda shows and tests: the chart's
 * counts per window, and a {@link StageSample} per stage × segment and stage × whole funnel that has a passage in
 * either window. {@link summariseFunnel} computes it from leads; the loader computes the same in the database.
 */
export interface FunnelSummary {
  reviewed: FunnelCounts;
  baseline: FunnelCounts;
  stages: StageSample[];
}

/** The segment a lead's region makes: trimmed, or "no region" when there is none. */
export const NO_REGION = "no region";
export function segmentOf(region: string | null | undefined): string {
  return region?.trim() || NO_REGION;
}

const minutesOf = (passage: StagePassage) => (passage.exitedAt.getTime() - passage.enteredAt.getTime()) / 60_000;

/**
 * The reference implementation of the {@link FunnelSummary}: every passage of the leads sorted into its stage, its
 * segment (and the whole funnel) and its window, then counted and ranked. The database computes the same (see
 * `src/agenda/load-funnel-summary.ts`); a test holds the two equal.
 */
export function summariseFunnel(leads: FunnelLead[], reviewed: Window, baseline: Window): FunnelSummary {
  // One pass sorts every passage into its groups: over a million leads the weeks looked at hold a hundred thousand
  // leads, too many to filter again for every group.
  type Sides = { current: StagePassage[]; baseline: StagePassage[] };
  const groups = new Map<string, { stage: StageId; segment: string | null; sides: Sides }>();
  const sidesOf = (stage: StageId, segment: string | null): Sides => {
    const key = JSON.stringify([stage, segment]);
    let group = groups.get(key);
    if (!group) {
      group = { stage, segment, sides: { current: [], baseline: [] } };
      groups.set(key, group);
    }
    return group.sides;
  };
  const isIn = windowTest(reviewed);
  const isBaseline = windowTest(baseline);
  for (const lead of leads) {
    for (const passage of passagesOf(lead)) {
      const exited = passage.exitedAt.getTime();
      const side = isIn(exited) ? "current" : isBaseline(exited) ? "baseline" : null;
      if (!side) continue;
      sidesOf(passage.stage, null)[side].push(passage);
      sidesOf(passage.stage, passage.segment)[side].push(passage);
    }
  }
  const stages = [...groups.values()].map(({ stage, segment, sides }): StageSample => {
    const durations = sides.current.filter((p) => p.converted).map(minutesOf);
    const baseDurations = sides.baseline.filter((p) => p.converted).map(minutesOf);
    const { rankSum, tieTerm } = rankSums(durations, baseDurations);
    const side = (passages: StagePassage[], minutes: number[]): StageSide => ({
      passages: passages.length,
      converted: minutes.length,
      medianMinutes: median(minutes),
    });
    return {
      stage,
      segment,
      current: side(sides.current, durations),
      baseline: side(sides.baseline, baseDurations),
      rankSum,
      tieTerm,
    };
  });
  return {
    reviewed: funnelCounts(leads, reviewed),
    baseline: funnelCounts(leads, baseline),
    stages: sortStageSamples(stages),
  };
}

/** Stage samples in the funnel's order: stage by stage, the whole funnel first, then the segments by name. */
export function sortStageSamples(samples: StageSample[]): StageSample[] {
  const stageIndex = (id: StageId) => FUNNEL_STAGES.findIndex((stage) => stage.id === id);
  return [...samples].sort(
    (a, b) =>
      stageIndex(a.stage) - stageIndex(b.stage) ||
      (a.segment === b.segment ? 0 : a.segment === null ? -1 : b.segment === null ? 1 : a.segment < b.segment ? -1 : 1),
  );
}

function testGroup(
  stage: (typeof FUNNEL_STAGES)[number],
  sample: StageSample,
): { candidates: StageFinding[]; tests: number } {
  const { segment, current, baseline } = sample;
  const candidates: StageFinding[] = [];
  let tests = 0;
  if (current.passages >= MIN_CURRENT_SAMPLE && baseline.passages >= MIN_BASELINE_SAMPLE) {
    tests++;
    const rate = current.converted / current.passages;
    const baseRate = baseline.converted / baseline.passages;
    const pValue = conversionDropPValue(
      { hits: current.converted, total: current.passages },
      { hits: baseline.converted, total: baseline.passages },
    );
    if (baseRate - rate >= MIN_CONVERSION_DROP) {
      candidates.push({
        stage: stage.id,
        stageLabel: stage.label,
        segment,
        metric: "conversion",
        current: { value: rate, sample: current.passages },
        baseline: { value: baseRate, sample: baseline.passages },
        pValue,
      });
    }
  }
  if (current.converted >= MIN_CURRENT_SAMPLE && baseline.converted >= MIN_BASELINE_SAMPLE) {
    tests++;
    const currentMedian = current.medianMinutes ?? 0;
    const baseMedian = baseline.medianMinutes ?? 0;
    if (baseMedian > 0 && currentMedian / baseMedian >= MIN_SLOWDOWN_RATIO) {
      candidates.push({
        stage: stage.id,
        stageLabel: stage.label,
        segment,
        metric: "speed",
        current: { value: currentMedian, sample: current.converted },
        baseline: { value: baseMedian, sample: baseline.converted },
        pValue: mannWhitneyPValue({
          current: current.converted,
          baseline: baseline.converted,
          rankSum: sample.rankSum,
          tieTerm: sample.tieTerm,
        }),
      });
    }
  }
  return { candidates, tests };
}

/**
 * The stages that got worse in the reviewed week against the baseline, for the whole funnel and per segment
 * (region), kept only when significant after a Bonferroni correction over every test run. Where a segment is
 * significant, the whole-funnel finding for the same stage and metric is left out: the segment pinpoints it.
 */
export function findStageSlowdowns(summary: FunnelSummary): StageFinding[] {
  const candidates: StageFinding[] = [];
  let tests = 0;
  for (const sample of sortStageSamples(summary.stages)) {
    const stage = FUNNEL_STAGES.find((s) => s.id === sample.stage) as (typeof FUNNEL_STAGES)[number];
    const result = testGroup(stage, sample);
    candidates.push(...result.candidates);
    tests += result.tests;
  }
  const alpha = FAMILY_ALPHA / Math.max(1, tests);
  const significant = candidates.filter((candidate) => candidate.pValue < alpha);
  return significant
    .filter(
      (finding) =>
        finding.segment !== null ||
        !significant.some(
          (other) => other.segment !== null && other.stage === finding.stage && other.metric === finding.metric,
        ),
    )
    .sort((a, b) => a.pValue - b.pValue);
}

/** How many of a slowdown's leads an agenda item names: the slowest ones. */
export const SLOWEST_LEADS_SHOWN = 5;

/** Which finding a list of lead ids belongs to, in `AgendaFacts.findingLeadIds`. */
export function stageFindingKey(finding: Pick<StageFinding, "stage" | "segment" | "metric">): string {
  return JSON.stringify([finding.stage, finding.segment, finding.metric]);
}

/**
 * The leads each finding names (reference implementation; the loader reads the same from the database): for a
 * conversion drop, every passage of the reviewed week that dropped out, in the order they did (then by lead id);
 * for a slowdown, the {@link SLOWEST_LEADS_SHOWN} slowest converted passages, slowest first (then by lead id).
 */
export function findingLeadIds(
  leads: FunnelLead[],
  reviewed: Window,
  findings: Pick<StageFinding, "stage" | "segment" | "metric">[],
): Record<string, string[]> {
  const isIn = windowTest(reviewed);
  const passages = leads.flatMap(passagesOf).filter((p) => isIn(p.exitedAt.getTime()));
  const byLeadId = (a: StagePassage, b: StagePassage) => (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0);
  const result: Record<string, string[]> = {};
  for (const finding of findings) {
    const ofGroup = passages.filter(
      (p) => p.stage === finding.stage && (finding.segment === null || p.segment === finding.segment),
    );
    result[stageFindingKey(finding)] =
      finding.metric === "conversion"
        ? ofGroup
            .filter((p) => !p.converted)
            .sort((a, b) => a.exitedAt.getTime() - b.exitedAt.getTime() || byLeadId(a, b))
            .map((p) => p.leadId)
        : ofGroup
            .filter((p) => p.converted)
            .sort((a, b) => minutesOf(b) - minutesOf(a) || byLeadId(a, b))
            .slice(0, SLOWEST_LEADS_SHOWN)
            .map((p) => p.leadId);
  }
  return result;
}

/** Whether a time (ms) falls in the window, with the bounds read once. */
function windowTest(window: Window): (at: number) => boolean {
  const start = window.start.getTime();
  const end = window.end.getTime();
  return (at) => at >= start && at < end;
}

/** Leads reaching each step of the funnel in a window: the chart's bars. */
export interface FunnelCounts {
  mqls: number;
  accepted: number;
  touched: number;
  sqls: number;
  won: number;
}

export const FUNNEL_STEPS: { key: keyof FunnelCounts; label: string }[] = [
  { key: "mqls", label: "MQLs" },
  { key: "accepted", label: "Accepted" },
  { key: "touched", label: "First touch" },
  { key: "sqls", label: "SQL" },
  { key: "won", label: "Won" },
];

export function funnelCounts(leads: FunnelLead[], window: Window): FunnelCounts {
  const isIn = windowTest(window);
  const within = (at: Date | null) => (at !== null && isIn(at.getTime()) ? 1 : 0);
  const counts: FunnelCounts = { mqls: 0, accepted: 0, touched: 0, sqls: 0, won: 0 };
  for (const lead of leads) {
    counts.mqls += within(lead.receivedAt);
    counts.accepted += within(lead.acceptedAt);
    counts.touched += within(lead.firstTouchAt);
    counts.sqls += within(lead.sqlAt);
    counts.won += lead.status === "won" ? within(lead.closedAt) : 0;
  }
  return counts;
}

/** The reviewed week's funnel beside the weekly average of the baseline weeks. */
export interface FunnelComparison {
  steps: { key: keyof FunnelCounts; label: string; reviewed: number; baselineAverage: number }[];
}

export function compareFunnel(summary: FunnelSummary, baseline: Window): FunnelComparison {
  const weeks = Math.max(1, Math.round((baseline.end.getTime() - baseline.start.getTime()) / (7 * 86_400_000)));
  return {
    steps: FUNNEL_STEPS.map((step) => ({
      ...step,
      reviewed: summary.reviewed[step.key],
      baselineAverage: Math.round((summary.baseline[step.key] / weeks) * 10) / 10,
    })),
  };
}
