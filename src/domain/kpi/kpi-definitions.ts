/**
 * What each KPI means, as functions of plain numbers. The database counts and sums (src/kpi/); these turn the
 * counts into the figures people read, so the API, the chat scorecard and the README agree on one formula each.
 * A rate with nothing to divide by is `null` ("—" in chat), never 0.
 */

export type RejectReasonCounts = Record<string, number>;

/** Who a KPI figure is about: every filter narrows the leads counted. */
export interface KpiScope {
  team?: string;
  rep?: string;
  source?: string;
  campaign?: string;
}

/** The raw aggregates of one period, as the database computes them. Money in the deals' amounts, unconverted. */
export interface KpiFacts {
  /** The period's MQLs: received in the period, not a repeat MQL linked to an open lead. */
  mqls: number;
  /** Of those, accepted by a team (after a re-route too). */
  accepted: number;
  /** Of those, rejected and not accepted since (nor waiting on the team it was re-routed to). */
  rejected: number;
  /** Every rejection of the period's MQLs, by reason: a re-routed lead can add two. */
  rejectReasons: RejectReasonCounts;
  /** Card posted → accepted, over the period's accepted MQLs. */
  minutesToAccept: { median: number | null; p90: number | null };
  /** Accepted → first touch, over the period's MQLs touched so far. */
  minutesToFirstTouch: { median: number | null; p90: number | null };
  acceptSla: { met: number; breached: number };
  firstTouchSla: { met: number; breached: number };
  /** Of the period's MQLs, those that reached SQL or beyond (an SQL event or a deal). */
  sqls: number;
  /** Of those SQLs, the ones won so far. */
  sqlsWon: number;
  /** Deals won / lost with the event in the period, whenever their MQL came. */
  won: number;
  lost: number;
  wonRevenue: number;
  /** Won revenue from leads that carry a marketing campaign or channel. */
  marketingSourcedRevenue: number;
  /** Renewals and churns in the period, and what the renewals brought. */
  renewed: number;
  churned: number;
  renewedRevenue: number;
  /** Opportunities opened by the period's end and not closed by then. */
  openPipeline: number;
  /** Marketing spend for the weeks starting in the period; null when the scope cannot be costed (team, rep, source). */
  spend: number | null;
}

/** Targets for the period, already prorated to its length (see {@link quotaForPeriod}, {@link mqlTargetForPeriod}). */
export interface KpiTargets {
  quota: number | null;
  mqlTarget: number | null;
}

export interface Kpis {
  mqls: number;
  accepted: number;
  rejected: number;
  acceptanceRate: number | null;
  rejectReasons: RejectReasonCounts;
  medianMinutesToAccept: number | null;
  p90MinutesToAccept: number | null;
  medianMinutesToFirstTouch: number | null;
  p90MinutesToFirstTouch: number | null;
  acceptSlaMet: number;
  acceptSlaBreached: number;
  firstTouchSlaMet: number;
  firstTouchSlaBreached: number;
  sqls: number;
  mqlToSqlRate: number | null;
  sqlToWonRate: number | null;
  won: number;
  lost: number;
  winRate: number | null;
  wonRevenue: number;
  averageDealSize: number | null;
  openPipeline: number;
  quotaAttainment: number | null;
  mqlTargetAttainment: number | null;
  marketingSpend: number | null;
  costPerMql: number | null;
  costPerWonCustomer: number | null;
  marketingSourcedRevenue: number;
  renewed: number;
  churned: number;
  retentionRate: number | null;
  customerLifetimeValue: number | null;
}

/** Rates to 4 decimals (0.1234 = 12.34 %), money to cents, minutes to a tenth: exact in JSON, no float noise. */
const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};
export const roundRate = (value: number) => round(value, 4);
export const roundMoney = (value: number) => round(value, 2);
export const roundMinutes = (value: number) => round(value, 1);

/** `part / whole`, or null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? roundRate(part / whole) : null;
}

/** `accepted / (accepted + rejected)`: the share of decided MQLs sales took. */
export const acceptanceRate = (f: Pick<KpiFacts, "accepted" | "rejected">) => rate(f.accepted, f.accepted + f.rejected);
/** `sqls / mqls`. */
export const mqlToSqlRate = (f: Pick<KpiFacts, "sqls" | "mqls">) => rate(f.sqls, f.mqls);
/** `sqlsWon / sqls`: of the period's MQLs that reached SQL, the share won so far. */
export const sqlToWonRate = (f: Pick<KpiFacts, "sqlsWon" | "sqls">) => rate(f.sqlsWon, f.sqls);
/** `won / (won + lost)`. */
export const winRate = (f: Pick<KpiFacts, "won" | "lost">) => rate(f.won, f.won + f.lost);
/** `wonRevenue / won`. */
export const averageDealSize = (f: Pick<KpiFacts, "wonRevenue" | "won">) =>
  f.won > 0 ? roundMoney(f.wonRevenue / f.won) : null;
/** `wonRevenue / quota` (quota prorated to the period). */
export const quotaAttainment = (f: Pick<KpiFacts, "wonRevenue">, t: Pick<KpiTargets, "quota">) =>
  t.quota === null ? null : rate(f.wonRevenue, t.quota);
/** `mqls / mqlTarget` (weekly target × days / 7). */
export const mqlTargetAttainment = (f: Pick<KpiFacts, "mqls">, t: Pick<KpiTargets, "mqlTarget">) =>
  t.mqlTarget === null ? null : rate(f.mqls, t.mqlTarget);
/** `spend / mqls`. */
export const costPerMql = (f: Pick<KpiFacts, "spend" | "mqls">) =>
  f.spend === null || f.mqls === 0 ? null : roundMoney(f.spend / f.mqls);
/** `spend / won`: what marketing spent in the period per customer won in it. */
export const costPerWonCustomer = (f: Pick<KpiFacts, "spend" | "won">) =>
  f.spend === null || f.won === 0 ? null : roundMoney(f.spend / f.won);
/** `renewed / (renewed + churned)`: of the customers whose renewal came up in the period, the share that stayed. */
export const retentionRate = (f: Pick<KpiFacts, "renewed" | "churned">) => rate(f.renewed, f.renewed + f.churned);

/**
 * Customer lifetime value, estimated as `average contract value / churn rate`: with a churn rate c per renewal,
 * a customer pays for 1/c contract terms on average (geometric). Average contract value =
 * `(wonRevenue + renewedRevenue) / (won + renewed)`, churn rate = `churned / (renewed + churned)`. Null until
 * the period has both a churn and something to average (no churn would mean an infinite lifetime).
 */
export function customerLifetimeValue(
  f: Pick<KpiFacts, "wonRevenue" | "renewedRevenue" | "won" | "renewed" | "churned">,
): number | null {
  const contracts = f.won + f.renewed;
  if (f.churned === 0 || contracts === 0) return null;
  const churnRate = f.churned / (f.renewed + f.churned);
  return roundMoney((f.wonRevenue + f.renewedRevenue) / contracts / churnRate);
}

/** Every KPI of a period, from its aggregates and targets. */
export function computeKpis(facts: KpiFacts, targets: KpiTargets): Kpis {
  const minutes = (value: number | null) => (value === null ? null : roundMinutes(value));
  return {
    mqls: facts.mqls,
    accepted: facts.accepted,
    rejected: facts.rejected,
    acceptanceRate: acceptanceRate(facts),
    rejectReasons: facts.rejectReasons,
    medianMinutesToAccept: minutes(facts.minutesToAccept.median),
    p90MinutesToAccept: minutes(facts.minutesToAccept.p90),
    medianMinutesToFirstTouch: minutes(facts.minutesToFirstTouch.median),
    p90MinutesToFirstTouch: minutes(facts.minutesToFirstTouch.p90),
    acceptSlaMet: facts.acceptSla.met,
    acceptSlaBreached: facts.acceptSla.breached,
    firstTouchSlaMet: facts.firstTouchSla.met,
    firstTouchSlaBreached: facts.firstTouchSla.breached,
    sqls: facts.sqls,
    mqlToSqlRate: mqlToSqlRate(facts),
    sqlToWonRate: sqlToWonRate(facts),
    won: facts.won,
    lost: facts.lost,
    winRate: winRate(facts),
    wonRevenue: roundMoney(facts.wonRevenue),
    averageDealSize: averageDealSize(facts),
    openPipeline: roundMoney(facts.openPipeline),
    quotaAttainment: quotaAttainment(facts, targets),
    mqlTargetAttainment: mqlTargetAttainment(facts, targets),
    marketingSpend: facts.spend === null ? null : roundMoney(facts.spend),
    costPerMql: costPerMql(facts),
    costPerWonCustomer: costPerWonCustomer(facts),
    marketingSourcedRevenue: roundMoney(facts.marketingSourcedRevenue),
    renewed: facts.renewed,
    churned: facts.churned,
    retentionRate: retentionRate(facts),
    customerLifetimeValue: customerLifetimeValue(facts),
  };
}

/** A configured quota: one rep's or one team's, for a quarter (`2026-Q4`) or a month (`2026-11`). */
export interface QuotaTarget {
  rep?: string;
  team?: string;
  period: string;
  amount: number;
}

/** First and last day (UTC calendar, both included) of `2026-Q4` or `2026-11`. */
function quotaDays(period: string): { first: number; last: number } {
  const [yearText, part] = period.split("-");
  const year = Number(yearText);
  const [firstMonth, months] = part.startsWith("Q") ? [(Number(part.slice(1)) - 1) * 3, 3] : [Number(part) - 1, 1];
  return { first: Date.UTC(year, firstMonth, 1), last: Date.UTC(year, firstMonth + months, 0) };
}

const DAY_MS = 86_400_000;
const dayNumber = (isoDay: string) => Date.parse(`${isoDay}T00:00:00Z`);

/**
 * The quota for a period: each quota that applies, times the share of its days that fall in the period. Applies:
 * the rep's quotas when a rep is named, else the team's when a team is named, else every team quota. Null when no
 * quota applies, or the scope is a source or campaign (quotas are not set per source).
 */
export function quotaForPeriod(
  quotas: readonly QuotaTarget[],
  period: { from: string; to: string },
  scope: KpiScope,
): number | null {
  if (scope.source || scope.campaign) return null;
  const applicable = quotas.filter((quota) =>
    scope.rep ? quota.rep === scope.rep : scope.team ? quota.team === scope.team : Boolean(quota.team),
  );
  if (applicable.length === 0) return null;
  const from = dayNumber(period.from);
  const to = dayNumber(period.to);
  let total = 0;
  for (const quota of applicable) {
    const { first, last } = quotaDays(quota.period);
    const overlap = (Math.min(last, to) - Math.max(first, from)) / DAY_MS + 1;
    if (overlap > 0) total += (quota.amount * overlap) / ((last - first) / DAY_MS + 1);
  }
  return total > 0 ? roundMoney(total) : null;
}

/** `weeklyMqls × days / 7` for the whole funnel; null when filtered (the target is marketing's, overall) or unset. */
export function mqlTargetForPeriod(weeklyMqls: number | undefined, days: number, scope: KpiScope): number | null {
  if (weeklyMqls === undefined || weeklyMqls === 0) return null;
  if (scope.team || scope.rep || scope.source || scope.campaign) return null;
  return round((weeklyMqls * days) / 7, 2);
}
