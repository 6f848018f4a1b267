/** The hand-computed KPIs of the funnel in kpi-seed.ts (see there for the leads behind each figure). */
import type { Kpis } from "../../src/domain/kpi/kpi-definitions.ts";

/** "Now" for the seeded funnel: the Wednesday after the week under test. */
export const NOW = new Date("2026-11-25T12:00:00Z");
export const WEEK = "2026-11-16..2026-11-22";

/** Every KPI of the seeded week (see kpi-seed.ts for the leads behind each figure). */
export const WEEK_KPIS: Kpis = {
  // L1 L2 L3 L4 L6 L7 L8 L11; L5 is a repeat MQL of the open L2.
  mqls: 8,
  // L1 L2 (after its re-route) L3 (late) L8 L11.
  accepted: 5,
  // L4; L7 waits on the team it was re-routed to.
  rejected: 1,
  acceptanceRate: 0.8333,
  // Every rejection: L2's and L7's by the first team too.
  rejectReasons: { duplicate: 1, not_a_fit: 1, wrong_territory: 1 },
  // 5, 10, 30, 40, 120 minutes: p90 = 40 + 0.6 × (120 − 40).
  medianMinutesToAccept: 30,
  p90MinutesToAccept: 88,
  // 30, 30, 60, 60 minutes.
  medianMinutesToFirstTouch: 45,
  p90MinutesToFirstTouch: 60,
  // Met: L1 L2 L8 L11; breached: L3's late accept.
  acceptSlaMet: 4,
  acceptSlaBreached: 1,
  firstTouchSlaMet: 3,
  firstTouchSlaBreached: 1,
  // L1 L8 (SQL steps), L11 (straight to opportunity).
  sqls: 3,
  mqlToSqlRate: 0.375,
  sqlToWonRate: 0.3333,
  // L1 (24,000) and L0 (50,000: its MQL came the week before); lost: L8.
  won: 2,
  lost: 1,
  winRate: 0.6667,
  wonRevenue: 74000,
  averageDealSize: 37000,
  // L11 15,000 + L12 8,000; L13's deal opened after the week.
  openPipeline: 23000,
  // na-sales' 900,000 for Q4 (92 days) × 7 days = 68,478.26.
  quotaAttainment: 1.0806,
  mqlTargetAttainment: 0.0667,
  marketingSpend: 2000,
  costPerMql: 250,
  costPerWonCustomer: 1000,
  // L1 has a campaign; L0 has neither campaign nor channel.
  marketingSourcedRevenue: 24000,
  renewed: 1,
  churned: 1,
  retentionRate: 0.5,
  // (74,000 + 30,000) / 3 contracts / churn 0.5.
  customerLifetimeValue: 69333.33,
};

export const PREVIOUS_WEEK_KPIS: Kpis = {
  mqls: 2,
  accepted: 2,
  rejected: 0,
  acceptanceRate: 1,
  rejectReasons: {},
  medianMinutesToAccept: 15,
  p90MinutesToAccept: 19,
  medianMinutesToFirstTouch: 40,
  p90MinutesToFirstTouch: 40,
  acceptSlaMet: 2,
  acceptSlaBreached: 0,
  firstTouchSlaMet: 1,
  firstTouchSlaBreached: 1,
  sqls: 2,
  mqlToSqlRate: 1,
  sqlToWonRate: 0.5,
  won: 0,
  lost: 0,
  winRate: null,
  wonRevenue: 0,
  averageDealSize: null,
  // L0's deal (at its current amount) and L12's were open on Nov 15.
  openPipeline: 58000,
  quotaAttainment: 0,
  mqlTargetAttainment: 0.0167,
  marketingSpend: 1000,
  costPerMql: 500,
  costPerWonCustomer: null,
  marketingSourcedRevenue: 0,
  renewed: 0,
  churned: 0,
  retentionRate: null,
  customerLifetimeValue: null,
};

export const EMPTY_KPIS: Kpis = {
  mqls: 0,
  accepted: 0,
  rejected: 0,
  acceptanceRate: null,
  rejectReasons: {},
  medianMinutesToAccept: null,
  p90MinutesToAccept: null,
  medianMinutesToFirstTouch: null,
  p90MinutesToFirstTouch: null,
  acceptSlaMet: 0,
  acceptSlaBreached: 0,
  firstTouchSlaMet: 0,
  firstTouchSlaBreached: 0,
  sqls: 0,
  mqlToSqlRate: null,
  sqlToWonRate: null,
  won: 0,
  lost: 0,
  winRate: null,
  wonRevenue: 0,
  averageDealSize: null,
  openPipeline: 0,
  quotaAttainment: null,
  mqlTargetAttainment: 0,
  marketingSpend: null,
  costPerMql: null,
  costPerWonCustomer: null,
  marketingSourcedRevenue: 0,
  renewed: 0,
  churned: 0,
  retentionRate: null,
  customerLifetimeValue: null,
};
