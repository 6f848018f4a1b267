/**
 * The four funnel stages the agenda watches — MQL→accept, accept→first touch, touch→SQL, SQL→won — and how a
 * week compares with the four before: conversion (of the passages decided in the window, the share that went on)
 * and speed (time from entering to leaving the stage), each with a minimum sample and a significance guard.
 */
import type { FunnelLead, Window } from "./agenda-facts.ts";
import { conversionDropPValue, median, slowdownPValue } from "./significance.ts";

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

/** The stages a lead has left so far. Leads still inside a stage are not counted: their outcome is unknown. */
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
  leadIds: string[];
}

function testGroup(
  stage: (typeof FUNNEL_STAGES)[number],
  segment: string | null,
  current: StagePassage[],
  baseline: StagePassage[],
): { candidates: StageFinding[]; tests: number } {
  const candidates: StageFinding[] = [];
  let tests = 0;
  if (current.length >= MIN_CURRENT_SAMPLE && baseline.length >= MIN_BASELINE_SAMPLE) {
    tests++;
    const hits = current.filter((p) => p.converted).length;
    const baseHits = baseline.filter((p) => p.converted).length;
    const rate = hits / current.length;
    const baseRate = baseHits / baseline.length;
    const pValue = conversionDropPValue({ hits, total: current.length }, { hits: baseHits, total: baseline.length });
    if (baseRate - rate >= MIN_CONVERSION_DROP) {
      candidates.push({
        stage: stage.id,
        stageLabel: stage.label,
        segment,
        metric: "conversion",
        current: { value: rate, sample: current.length },
        baseline: { value: baseRate, sample: baseline.length },
        pValue,
        leadIds: current.filter((p) => !p.converted).map((p) => p.leadId),
      });
    }
  }
  const minutes = (p: StagePassage) => (p.exitedAt.getTime() - p.enteredAt.getTime()) / 60_000;
  const fast = current.filter((p) => p.converted);
  const baseFast = baseline.filter((p) => p.converted);
  if (fast.length >= MIN_CURRENT_SAMPLE && baseFast.length >= MIN_BASELINE_SAMPLE) {
    tests++;
    const durations = fast.map(minutes);
    const baseDurations = baseFast.map(minutes);
    const currentMedian = median(durations) ?? 0;
    const baseMedian = median(baseDurations) ?? 0;
    if (baseMedian > 0 && currentMedian / baseMedian >= MIN_SLOWDOWN_RATIO) {
      const slowest = [...fast].sort((a, b) => minutes(b) - minutes(a)).slice(0, 5);
      candidates.push({
        stage: stage.id,
        stageLabel: stage.label,
        segment,
        metric: "speed",
        current: { value: currentMedian, sample: fast.length },
        baseline: { value: baseMedian, sample: baseFast.length },
        pValue: slowdownPValue(durations, baseDurations),
        leadIds: slowest.map((p) => p.leadId),
      });
    }
  }
  return { candidates, tests };
}

/**
 * The stages that got worse in `reviewed` against `baseline`, for the whole funnel and per segment (region), kept
 * only when significant after a Bonferroni correction over every test run. Where a segment is significant, the
 * whole-funnel finding for the same stage and metric is left out: the segment pinpoints it.
 */
export function findStageSlowdowns(leads: FunnelLead[], reviewed: Window, baseline: Window): StageFinding[] {
  // One pass sorts every passage into its stage, its segment (and the whole funnel) and its window: over a million
  // leads the weeks looked at hold a hundred thousand leads, too many to filter again for every group.
  type Sides = { current: StagePassage[]; baseline: StagePassage[] };
  const groups = new Map<StageId, Map<string | null, Sides>>(FUNNEL_STAGES.map((stage) => [stage.id, new Map()]));
  const sidesOf = (stage: StageId, segment: string | null): Sides => {
    const ofStage = groups.get(stage) as Map<string | null, Sides>;
    let sides = ofStage.get(segment);
    if (!sides) {
      sides = { current: [], baseline: [] };
      ofStage.set(segment, sides);
    }
    return sides;
  };
  const isIn = windowTest(reviewed);
  const isBaseline = windowTest(baseline);
  const segments = new Set<string>();
  for (const lead of leads) {
    segments.add(lead.segment);
    for (const passage of passagesOf(lead)) {
      const exited = passage.exitedAt.getTime();
      const side = isIn(exited) ? "current" : isBaseline(exited) ? "baseline" : null;
      if (!side) continue;
      sidesOf(passage.stage, null)[side].push(passage);
      sidesOf(passage.stage, passage.segment)[side].push(passage);
    }
  }
  const candidates: StageFinding[] = [];
  let tests = 0;
  for (const stage of FUNNEL_STAGES) {
    for (const segment of [null, ...[...segments].sort()]) {
      const sides = groups.get(stage.id)?.get(segment) ?? { current: [], baseline: [] };
      const result = testGroup(stage, segment, sides.current, sides.baseline);
      candidates.push(...result.candidates);
      tests += result.tests;
    }
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

export function compareFunnel(leads: FunnelLead[], reviewed: Window, baseline: Window): FunnelComparison {
  const weeks = Math.max(1, Math.round((baseline.end.getTime() - baseline.start.getTime()) / (7 * 86_400_000)));
  const now = funnelCounts(leads, reviewed);
  const before = funnelCounts(leads, baseline);
  return {
    steps: FUNNEL_STEPS.map((step) => ({
      ...step,
      reviewed: now[step.key],
      baselineAverage: Math.round((before[step.key] / weeks) * 10) / 10,
    })),
  };
}
