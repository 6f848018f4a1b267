/**
 * The weekly alignment agenda from plain facts: opportunities and issues ranked, at most
 * {@link MAX_DISCUSSION_ITEMS}, each with an owner, its evidence in numbers and the leads it is about; the
 * scoreboard with week-over-week change; last week's action items with their status; the funnel for the chart.
 */

import type { Kpis } from "../kpi/kpi-definitions.ts";
import { describeChange } from "../kpi/kpi-scorecard.ts";
import { addDays, formatDay, parseDay } from "../kpi/period.ts";
import { rejectReasonLabel } from "../lead-card.ts";
import { type AgendaActionItem, type AgendaFacts, stageWeight } from "./agenda-facts.ts";
import {
  compareFunnel,
  type FunnelComparison,
  findStageSlowdowns,
  type StageFinding,
  stageFindingKey,
} from "./funnel-stages.ts";

export const MAX_DISCUSSION_ITEMS = 10;
/** Action items shown (Slack's checkboxes take at most 10 options). */
export const MAX_ACTION_ITEMS = 10;
/** A lead scored at least this is "hot". */
export const HOT_SCORE = 80;
/** A reject reason is a cluster when at least this many of a region's rejects give it, and this share of them. */
export const REJECT_CLUSTER_SHARE = 0.4;
export const REJECT_CLUSTER_MIN = 4;
export const TOP_DEALS = 3;

export type AgendaSection = "opportunity" | "issue" | "action";

export interface AgendaItem {
  section: Exclude<AgendaSection, "action">;
  /** What kind of finding, for renderers and tests: `top-deal`, `slowdown`, `reject-cluster`, … */
  kind: string;
  title: string;
  owner: string | null;
  evidence: string;
  leadIds: string[];
  /** Where to look: the lead's card (Slack permalink, Teams link), when Baton knows it. */
  link: string | null;
  /** Higher first; only used to choose and order. */
  rank: number;
}

export interface AgendaActionView {
  id: string;
  text: string;
  owner: string | null;
  status: "open" | "done";
  due: string | null;
  link: string | null;
}

export interface ScoreRow {
  label: string;
  value: string;
  change: string;
}

export interface Agenda {
  scope: string;
  team: { id: string; name: string } | null;
  title: string;
  weekStart: string;
  /** Opportunities then issues, each in rank order; at most {@link MAX_DISCUSSION_ITEMS} in all. */
  items: AgendaItem[];
  actionItems: AgendaActionView[];
  scoreboard: ScoreRow[];
  kpis: Kpis | null;
  funnel: FunnelComparison;
  /** A new install: what to do first, instead of empty sections. */
  gettingStarted: string | null;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const percent = (value: number) => `${Math.round(value * 100)} %`;
const money = (amount: number, currency: string) => `${integer.format(amount)} ${currency}`;

/** Minutes as people say them: `45 min`, `3.5 h`, `2.1 days`. */
export function humanMinutes(minutes: number): string {
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.round((minutes / 60) * 10) / 10} h`;
  return `${Math.round((minutes / 1440) * 10) / 10} days`;
}

const pValueText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);

function linkOf(facts: AgendaFacts, leadIds: string[]): string | null {
  for (const id of leadIds) if (facts.leadLinks[id]) return facts.leadLinks[id];
  return null;
}

function dealItems(facts: AgendaFacts): AgendaItem[] {
  const weighted = facts.openDeals
    .map((deal) => ({ deal, weight: stageWeight(deal.stage), value: deal.amount * stageWeight(deal.stage) }))
    .sort((a, b) => b.value - a.value || a.deal.dealId.localeCompare(b.deal.dealId));
  const top = weighted.slice(0, TOP_DEALS).map(({ deal, weight, value }, index) => ({
    section: "opportunity" as const,
    kind: "top-deal",
    title: `${deal.name}: ${money(deal.amount, deal.currency)} (${deal.stage})`,
    owner: deal.ownerName,
    evidence: `${money(value, deal.currency)} weighted (${percent(weight)} at ${deal.stage})${
      deal.closeDate ? `, expected to close ${deal.closeDate}` : ""
    }`,
    leadIds: [deal.leadId],
    link: linkOf(facts, [deal.leadId]),
    rank: 60 - index,
  }));
  const topIds = new Set(top.flatMap((item) => item.leadIds));
  const thisWeekFirst = facts.weekStart;
  const thisWeekLast = formatDay(addDays(parseDay(facts.weekStart) ?? { year: 1970, month: 1, day: 5 }, 6));
  const closing = facts.openDeals
    .filter((deal) => deal.closeDate && deal.closeDate >= thisWeekFirst && deal.closeDate <= thisWeekLast)
    .filter((deal) => !topIds.has(deal.leadId))
    .sort((a, b) => b.amount - a.amount);
  if (closing.length === 0) return top;
  const total = closing.reduce((sum, deal) => sum + deal.amount, 0);
  const currency = closing[0].currency;
  return [
    ...top,
    {
      section: "opportunity",
      kind: "closing-this-week",
      title: `${closing.length} deal${closing.length === 1 ? "" : "s"} expected to close this week`,
      owner: closing[0].ownerName,
      evidence: `${money(total, currency)} in all: ${closing
        .slice(0, 4)
        .map((deal) => `${deal.name} ${money(deal.amount, deal.currency)} (${deal.ownerName ?? "no owner"})`)
        .join("; ")}${closing.length > 4 ? "; …" : ""}`,
      leadIds: closing.map((deal) => deal.leadId),
      link: linkOf(
        facts,
        closing.map((deal) => deal.leadId),
      ),
      rank: 65,
    },
  ];
}

function hotLeadItem(facts: AgendaFacts, now: Date): AgendaItem[] {
  const hot = facts.untouchedLeads
    .filter((lead) => (lead.score ?? 0) >= HOT_SCORE)
    .sort((a, b) => a.acceptedAt.getTime() - b.acceptedAt.getTime());
  if (hot.length === 0) return [];
  const owners = [...new Set(hot.map((lead) => lead.ownerName).filter((name): name is string => Boolean(name)))];
  const longest = (now.getTime() - hot[0].acceptedAt.getTime()) / 60_000;
  return [
    {
      section: "opportunity",
      kind: "hot-untouched",
      title: `${hot.length} hot lead${hot.length === 1 ? "" : "s"} accepted but not touched yet`,
      owner: owners.length === 1 ? owners[0] : owners.length > 1 ? owners.join(", ") : null,
      evidence: `score ≥ ${HOT_SCORE}, waiting up to ${humanMinutes(longest)}: ${hot
        .slice(0, 4)
        .map((lead) => `${lead.label} (${lead.score})`)
        .join("; ")}${hot.length > 4 ? "; …" : ""}`,
      leadIds: hot.map((lead) => lead.leadId),
      link: linkOf(
        facts,
        hot.map((lead) => lead.leadId),
      ),
      rank: 68 + Math.min(hot.length, 10),
    },
  ];
}

function slaItems(facts: AgendaFacts): AgendaItem[] {
  const byRep = new Map<string, { accept: string[]; firstTouch: string[]; team: string | null }>();
  for (const breach of facts.slaBreaches) {
    const who = breach.repName ?? `Nobody in ${breach.teamName ?? "the team"}`;
    const entry = byRep.get(who) ?? { accept: [], firstTouch: [], team: breach.teamName };
    (breach.kind === "accept" ? entry.accept : entry.firstTouch).push(breach.leadId);
    byRep.set(who, entry);
  }
  return [...byRep.entries()]
    .map(([who, entry]) => ({ who, entry, total: entry.accept.length + entry.firstTouch.length }))
    .sort((a, b) => b.total - a.total || a.who.localeCompare(b.who))
    .map(({ who, entry, total }) => {
      const parts = [
        entry.firstTouch.length ? `${entry.firstTouch.length} first-touch` : "",
        entry.accept.length ? `${entry.accept.length} accept` : "",
      ].filter(Boolean);
      const leadIds = [...entry.firstTouch, ...entry.accept];
      return {
        section: "issue" as const,
        kind: "sla-breaches",
        title: `${who}: ${total} SLA breach${total === 1 ? "" : "es"} last week`,
        owner: who.startsWith("Nobody") ? null : who,
        evidence: `${parts.join(" and ")} SLA${total === 1 ? "" : "s"} missed${entry.team ? ` (${entry.team})` : ""}`,
        leadIds,
        link: linkOf(facts, leadIds),
        rank: 80 + Math.min(total, 15),
      };
    });
}

function rejectClusterItems(facts: AgendaFacts): AgendaItem[] {
  // Grouped by pushing, not by copying the group for every reject: over a million leads a week has thousands.
  const bySegment = new Map<string, typeof facts.rejects>();
  for (const reject of facts.rejects) {
    const group = bySegment.get(reject.segment);
    if (group) group.push(reject);
    else bySegment.set(reject.segment, [reject]);
  }
  const items: AgendaItem[] = [];
  for (const [segment, rejects] of bySegment) {
    const byReason = new Map<string, string[]>();
    for (const reject of rejects) {
      const leadIds = byReason.get(reject.reason);
      if (leadIds) leadIds.push(reject.leadId);
      else byReason.set(reject.reason, [reject.leadId]);
    }
    const [reason, leadIds] = [...byReason.entries()].sort(
      (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
    )[0];
    const share = leadIds.length / rejects.length;
    if (leadIds.length < REJECT_CLUSTER_MIN || share < REJECT_CLUSTER_SHARE) continue;
    const label = rejectReasonLabel(reason);
    const followUp =
      reason === "wrong_territory"
        ? "a routing rule to discuss"
        : reason === "not_a_fit" || reason === "no_budget_or_timing"
          ? "the MQL definition to discuss"
          : reason === "bad_contact_data"
            ? "form and enrichment to check"
            : "worth a look";
    items.push({
      section: "issue",
      kind: "reject-cluster",
      title: `${percent(share)} of ${segment} rejects: ${label.toLowerCase()}`,
      owner: reason === "wrong_territory" ? "Sales ops" : facts.marketingName,
      evidence: `${leadIds.length} of ${rejects.length} ${segment} rejects last week were “${label}”: ${followUp}`,
      leadIds,
      link: linkOf(facts, leadIds),
      rank: 70 + Math.round(share * 10),
    });
  }
  return items;
}

function shortfallItem(facts: AgendaFacts): AgendaItem[] {
  const target = facts.weeklyMqlTarget;
  if (target === null || target === 0 || facts.mqlsReviewedWeek >= target) return [];
  const short = target - facts.mqlsReviewedWeek;
  return [
    {
      section: "issue",
      kind: "mql-shortfall",
      title: `MQLs ${short} short of the weekly target`,
      owner: facts.marketingName,
      evidence: `${facts.mqlsReviewedWeek} of ${target} MQLs last week (${percent(facts.mqlsReviewedWeek / target)})`,
      leadIds: [],
      link: null,
      rank: 74 + Math.min(10, Math.round((short / target) * 10)),
    },
  ];
}

function slowdownItem(facts: AgendaFacts, finding: StageFinding): AgendaItem {
  const leadIds = facts.findingLeadIds[stageFindingKey(finding)] ?? [];
  const where = finding.segment ? `${finding.segment} ` : "";
  const samples = `n = ${finding.current.sample} vs ${finding.baseline.sample}`;
  const isSales = finding.stage !== "mql_to_accept" || finding.metric === "speed";
  const owner = facts.team?.name ?? (isSales ? "Sales" : facts.marketingName);
  if (finding.metric === "speed") {
    const ratio = finding.current.value / finding.baseline.value;
    return {
      section: "issue",
      kind: "slowdown",
      title: `${where}${finding.stageLabel} slowed down: ${ratio >= 1.95 ? `${Math.round(ratio * 10) / 10}×` : `+${percent(ratio - 1)}`} slower`,
      owner,
      evidence: `median ${humanMinutes(finding.current.value)} last week vs ${humanMinutes(
        finding.baseline.value,
      )} over the 4 weeks before (${samples}, Mann–Whitney ${pValueText(finding.pValue)})`,
      leadIds,
      link: linkOf(facts, leadIds),
      rank: 90 + Math.min(9, Math.round(-Math.log10(Math.max(finding.pValue, 1e-12)))),
    };
  }
  return {
    section: "issue",
    kind: "conversion-drop",
    title: `${where}${finding.stageLabel} conversion fell to ${percent(finding.current.value)}`,
    owner,
    evidence: `${percent(finding.current.value)} last week vs ${percent(finding.baseline.value)} over the 4 weeks before (${samples}, two-proportion ${pValueText(finding.pValue)})`,
    leadIds,
    link: linkOf(facts, leadIds),
    rank: 88 + Math.min(9, Math.round(-Math.log10(Math.max(finding.pValue, 1e-12)))),
  };
}

type Kind = "count" | "money" | "rate" | "minutes";
const SCOREBOARD: { label: string; key: keyof Kpis; kind: Kind }[] = [
  { label: "MQLs", key: "mqls", kind: "count" },
  { label: "Acceptance rate", key: "acceptanceRate", kind: "rate" },
  { label: "Median time to accept", key: "medianMinutesToAccept", kind: "minutes" },
  { label: "Median time to first touch", key: "medianMinutesToFirstTouch", kind: "minutes" },
  { label: "SLA breaches", key: "acceptSlaBreached", kind: "count" },
  { label: "SQLs", key: "sqls", kind: "count" },
  { label: "MQL → SQL", key: "mqlToSqlRate", kind: "rate" },
  { label: "Won", key: "won", kind: "count" },
  { label: "Won revenue", key: "wonRevenue", kind: "money" },
  { label: "Open pipeline", key: "openPipeline", kind: "money" },
];

function scoreValue(kpis: Kpis, key: keyof Kpis): number | null {
  // One row for both SLAs: what a meeting asks is "how many promises did we break".
  if (key === "acceptSlaBreached") return kpis.acceptSlaBreached + kpis.firstTouchSlaBreached;
  return kpis[key] as number | null;
}

function formatScore(value: number | null, kind: Kind): string {
  if (value === null) return "—";
  switch (kind) {
    case "count":
    case "money":
      return integer.format(value);
    case "rate":
      return percent(value);
    case "minutes":
      return humanMinutes(value);
  }
}

function scoreboardOf(facts: AgendaFacts): ScoreRow[] {
  if (!facts.kpis) return [];
  const { current, previous } = facts.kpis;
  return SCOREBOARD.map((row) => {
    const now = scoreValue(current, row.key);
    const before = scoreValue(previous, row.key);
    return { label: row.label, value: formatScore(now, row.kind), change: describeChange(now, before, row.kind) };
  });
}

function actionViews(items: AgendaActionItem[], timeZone: string): AgendaActionView[] {
  const day = (at: Date) => at.toLocaleDateString("en-CA", { timeZone });
  return [...items]
    .sort((a, b) => (a.status === b.status ? a.id.localeCompare(b.id) : a.status === "open" ? -1 : 1))
    .slice(0, MAX_ACTION_ITEMS)
    .map((item) => ({
      id: item.id,
      text: item.text,
      owner: item.owner,
      status: item.status,
      due: item.dueAt ? day(item.dueAt) : null,
      link: item.sourceLink,
    }));
}

export const GETTING_STARTED =
  "No MQLs yet: here is how to connect your marketing system. Point its webhook at `POST /webhooks/mql` " +
  "(HubSpot, Salesforce and Marketo have their own paths under `/webhooks/mql/`), signed with " +
  "`INTAKE_SIGNING_SECRET`; or backfill with `npm run import -- leads.csv`. CRM events (`POST /webhooks/crm`) " +
  "fill in first touch, SQL and deals. Next Monday's agenda will have numbers.";

/** The agenda of `facts.weekStart`, as of `now` (which only ages the "waiting for" figures). */
export function buildAgenda(facts: AgendaFacts, now: Date): Agenda {
  const title = `${facts.team ? facts.team.name : `${facts.organization} sales & marketing`}: weekly agenda, week of ${facts.weekStart}`;
  const funnel = compareFunnel(facts.funnel, facts.baseline);
  const actionItems = actionViews(facts.actionItems, facts.timezone);
  if (!facts.hasLeads) {
    return {
      scope: facts.scope,
      team: facts.team,
      title,
      weekStart: facts.weekStart,
      items: [],
      actionItems,
      scoreboard: [],
      kpis: null,
      funnel,
      gettingStarted: GETTING_STARTED,
    };
  }
  const candidates: AgendaItem[] = [
    ...findStageSlowdowns(facts.funnel).map((finding) => slowdownItem(facts, finding)),
    ...slaItems(facts),
    ...rejectClusterItems(facts),
    ...shortfallItem(facts),
    ...dealItems(facts),
    ...hotLeadItem(facts, now),
  ];
  const chosen = candidates
    .map((item, order) => ({ item, order }))
    .sort((a, b) => b.item.rank - a.item.rank || a.order - b.order)
    .slice(0, MAX_DISCUSSION_ITEMS)
    .map(({ item }) => item);
  const items = [
    ...chosen.filter((item) => item.section === "opportunity"),
    ...chosen.filter((item) => item.section === "issue"),
  ];
  return {
    scope: facts.scope,
    team: facts.team,
    title,
    weekStart: facts.weekStart,
    items,
    actionItems,
    scoreboard: scoreboardOf(facts),
    kpis: facts.kpis?.current ?? null,
    funnel,
    gettingStarted: null,
  };
}
