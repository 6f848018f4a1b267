/**
 * What the weekly agenda is built from: plain data the loader (`src/agenda/`) reads from the database, so the
 * ranking, the statistics and the wording can be tested without one.
 */
import type { Kpis } from "../kpi/kpi-definitions.ts";
import type { FunnelSummary } from "./funnel-stages.ts";

/** "joint" for the sales–marketing meeting, else a team id. */
export type AgendaScope = string;
export const JOINT_SCOPE = "joint";

/** Instants bounding a week or weeks: `start` included, `end` excluded. */
export interface Window {
  start: Date;
  end: Date;
}

/**
 * One lead's dates along the funnel; `segment` is what slowdowns are pinpointed to (the lead's region, see
 * `segmentOf`). The input of `summariseFunnel`, the reference the loader's SQL is held equal to.
 */
export interface FunnelLead {
  leadId: string;
  segment: string;
  receivedAt: Date;
  offeredAt: Date | null;
  acceptedAt: Date | null;
  rejectedAt: Date | null;
  firstTouchAt: Date | null;
  sqlAt: Date | null;
  closedAt: Date | null;
  /** `won`, `lost`, `recycled`, … (the lead's status now). */
  status: string;
}

export interface AgendaDeal {
  dealId: string;
  leadId: string;
  name: string;
  amount: number;
  currency: string;
  /** Free text from the CRM (`proposal`, `negotiation`, …); weighted by {@link STAGE_WEIGHTS}. */
  stage: string;
  ownerName: string | null;
  /** `YYYY-MM-DD`, when the CRM gave one. */
  closeDate: string | null;
}

export interface AgendaLead {
  leadId: string;
  /** "Augusta King · Analytical Engines" */
  label: string;
  score: number | null;
  ownerName: string | null;
  acceptedAt: Date;
}

export interface AgendaSlaBreach {
  leadId: string;
  kind: "accept" | "first_touch";
  /** The rep who held the lead (who accepted it late, or who owns it); null when nobody did. */
  repName: string | null;
  teamName: string | null;
}

export interface AgendaReject {
  leadId: string;
  segment: string;
  reason: string;
}

export interface AgendaActionItem {
  id: string;
  text: string;
  owner: string | null;
  status: "open" | "done";
  dueAt: Date | null;
  doneAt: Date | null;
  sourceLink: string | null;
}

export interface AgendaFacts {
  scope: AgendaScope;
  /** The team's id and name for a team agenda; null for the joint one. */
  team: { id: string; name: string } | null;
  organization: string;
  marketingName: string;
  timezone: string;
  /** Monday of the agenda's week, `YYYY-MM-DD`, in `timezone`. */
  weekStart: string;
  /** The agenda's own week (deals expected to close). */
  thisWeek: Window;
  /** The week just ended: what the agenda reviews. */
  reviewedWeek: Window;
  /** The four weeks before the reviewed one: what it is compared with. */
  baseline: Window;
  /** Whether Baton holds any lead in the scope (none: a new install, which gets the getting-started agenda). */
  hasLeads: boolean;
  /** The funnel's counts and stage samples for the reviewed week and the baseline. */
  funnel: FunnelSummary;
  /**
   * The leads each funnel finding names, by `stageFindingKey`: read for the findings `findStageSlowdowns` keeps,
   * not for every lead that moved.
   */
  findingLeadIds: Record<string, string[]>;
  openDeals: AgendaDeal[];
  /** Accepted, not touched yet, still open. */
  untouchedLeads: AgendaLead[];
  /** SLA clocks breached in the reviewed week. */
  slaBreaches: AgendaSlaBreach[];
  /** Rejections decided in the reviewed week. */
  rejects: AgendaReject[];
  /** MQLs received in the reviewed week, and the weekly target (joint agenda only). */
  mqlsReviewedWeek: number;
  weeklyMqlTarget: number | null;
  /** The reviewed week's KPIs and the week before's. */
  kpis: { current: Kpis; previous: Kpis } | null;
  actionItems: AgendaActionItem[];
  /** Where a lead's card is (Slack permalink, Teams deep link), when Baton knows. */
  leadLinks: Record<string, string>;
}

/** Probability of winning by CRM stage name (lower-case); unknown stages count as {@link DEFAULT_STAGE_WEIGHT}. */
export const STAGE_WEIGHTS: Record<string, number> = {
  prospecting: 0.1,
  qualification: 0.2,
  discovery: 0.2,
  open: 0.3,
  demo: 0.4,
  proposal: 0.5,
  negotiation: 0.7,
  commit: 0.9,
};
export const DEFAULT_STAGE_WEIGHT = 0.3;

export function stageWeight(stage: string): number {
  return STAGE_WEIGHTS[stage.trim().toLowerCase()] ?? DEFAULT_STAGE_WEIGHT;
}
