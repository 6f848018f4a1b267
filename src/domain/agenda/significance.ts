/**
 * The significance guards of the agenda's funnel findings: a week is only called slower or worse than the weeks
 * before when the samples are large enough and the difference is unlikely to be noise. Plain arithmetic, no
 * dependencies: a one-sided two-proportion z-test for conversion and a one-sided Mann–Whitney U test (normal
 * approximation with tie correction) for speed.
 */

/** Standard normal upper tail P(Z ≥ z), from the complementary error function (Abramowitz–Stegun 7.1.26, |ε| < 1.5e-7). */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * One-sided p-value that the current rate `currentHits / currentTotal` is LOWER than the baseline's, by the pooled
 * two-proportion z-test. 1 when either sample is empty or nothing varies.
 */
export function conversionDropPValue(
  current: { hits: number; total: number },
  baseline: { hits: number; total: number },
): number {
  if (current.total === 0 || baseline.total === 0) return 1;
  const p1 = current.hits / current.total;
  const p0 = baseline.hits / baseline.total;
  const pooled = (current.hits + baseline.hits) / (current.total + baseline.total);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / current.total + 1 / baseline.total));
  if (se === 0) return 1;
  return normalUpperTail((p0 - p1) / se);
}

/**
 * What the Mann–Whitney test needs of two samples: their sizes, the sum of the current sample's ranks in the pooled
 * sample (a run of equal values takes the average of the ranks it spans) and the tie term Σ(t³ − t) over the runs.
 * The agenda's loader computes the same from the database (window functions), without fetching the values.
 */
export interface RankSums {
  current: number;
  baseline: number;
  rankSum: number;
  tieTerm: number;
}

export function rankSums(current: readonly number[], baseline: readonly number[]): RankSums {
  const n1 = current.length;
  const n0 = baseline.length;
  // Each sample sorted on its own (typed arrays sort numerically, natively) and then walked together: a run of
  // equal values across both takes the average of the ranks it spans. Over a million leads a week's sample is
  // tens of thousands of durations, so no per-value objects.
  const sortedCurrent = Float64Array.from(current).sort();
  const sortedBaseline = Float64Array.from(baseline).sort();
  let i = 0;
  let j = 0;
  let ranked = 0;
  let rankSum = 0;
  let tieTerm = 0;
  while (i < n1 || j < n0) {
    const value = Math.min(i < n1 ? sortedCurrent[i] : Infinity, j < n0 ? sortedBaseline[j] : Infinity);
    let fromCurrent = 0;
    while (i < n1 && sortedCurrent[i] === value) {
      i++;
      fromCurrent++;
    }
    let fromBaseline = 0;
    while (j < n0 && sortedBaseline[j] === value) {
      j++;
      fromBaseline++;
    }
    const tied = fromCurrent + fromBaseline;
    // Ranks ranked+1 … ranked+tied, averaged.
    rankSum += fromCurrent * (ranked + (tied + 1) / 2);
    tieTerm += tied ** 3 - tied;
    ranked += tied;
  }
  return { current: n1, baseline: n0, rankSum, tieTerm };
}

/**
 * One-sided p-value that values in the current sample tend to be LARGER than in the baseline (Mann–Whitney U,
 * normal approximation with continuity and tie corrections), from the samples' {@link rankSums}.
 */
export function mannWhitneyPValue({ current: n1, baseline: n0, rankSum, tieTerm }: RankSums): number {
  if (n1 === 0 || n0 === 0) return 1;
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const n = n1 + n0;
  const mean = (n1 * n0) / 2;
  const variance = ((n1 * n0) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  return normalUpperTail((u - mean - 0.5) / Math.sqrt(variance));
}

/**
 * One-sided p-value that values in `current` tend to be LARGER than in `baseline` (Mann–Whitney U, normal
 * approximation with continuity and tie corrections). Durations are far from normal (a few leads wait days), so
 * a rank test rather than a t-test.
 */
export function slowdownPValue(current: readonly number[], baseline: readonly number[]): number {
  return mannWhitneyPValue(rankSums(current, baseline));
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
