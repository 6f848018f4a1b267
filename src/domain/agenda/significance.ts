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
 * One-sided p-value that values in `current` tend to be LARGER than in `baseline` (Mann–Whitney U, normal
 * approximation with continuity and tie corrections). Durations are far from normal (a few leads wait days), so
 * a rank test rather than a t-test.
 */
export function slowdownPValue(current: readonly number[], baseline: readonly number[]): number {
  const n1 = current.length;
  const n0 = baseline.length;
  if (n1 === 0 || n0 === 0) return 1;
  const all = [
    ...current.map((value) => ({ value, current: true })),
    ...baseline.map((value) => ({ value, current: false })),
  ];
  all.sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let start = 0; start < all.length; ) {
    let end = start;
    while (end + 1 < all.length && all[end + 1].value === all[start].value) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[i] = rank;
    const tied = end - start + 1;
    tieTerm += tied ** 3 - tied;
    start = end + 1;
  }
  let rankSum = 0;
  all.forEach((entry, i) => {
    if (entry.current) rankSum += ranks[i];
  });
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const n = n1 + n0;
  const mean = (n1 * n0) / 2;
  const variance = ((n1 * n0) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  return normalUpperTail((u - mean - 0.5) / Math.sqrt(variance));
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
