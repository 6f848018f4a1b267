/**
 * The KPI scorecard people read in chat (`kpi …`): marketing's and sales' figures side by side, each with its
 * change against the previous period — ▲/▼ and a percentage for counts and money, percentage points for rates —
 * and "—" where a rate has nothing to divide by.
 */
import type { ChatMessage } from "../chat-message.ts";
import { rejectReasonLabel } from "../lead-card.ts";
import type { Kpis } from "./kpi-definitions.ts";
import type { KpiReport } from "./kpi-report.ts";

export const NO_VALUE = "—";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 1 });

type Kind = "count" | "money" | "rate" | "minutes";

function format(value: number | null, kind: Kind): string {
  if (value === null) return NO_VALUE;
  switch (kind) {
    case "count":
      return integer.format(value);
    case "money":
      return money.format(value);
    case "rate":
      return `${oneDecimal.format(value * 100)}%`;
    case "minutes":
      return `${oneDecimal.format(value)} min`;
  }
}

/**
 * The change from `previous` to `current`: `▲ 12.5 pp` for rates, `▲ 50%` otherwise, `▲ new` from zero, `=`
 * when equal, nothing when either side is missing.
 */
export function describeChange(current: number | null, previous: number | null, kind: Kind): string {
  if (current === null || previous === null) return "";
  if (current === previous) return "=";
  const arrow = current > previous ? "▲" : "▼";
  if (kind === "rate") return `${arrow} ${oneDecimal.format(Math.abs(current - previous) * 100)} pp`;
  if (previous === 0) return `${arrow} new`;
  return `${arrow} ${integer.format(Math.abs(((current - previous) / previous) * 100))}%`;
}

interface Figure {
  label: string;
  key: keyof Kpis;
  kind: Kind;
}

const MARKETING: Figure[] = [
  { label: "MQLs", key: "mqls", kind: "count" },
  { label: "MQL target", key: "mqlTargetAttainment", kind: "rate" },
  { label: "Acceptance rate", key: "acceptanceRate", kind: "rate" },
  { label: "Rejected", key: "rejected", kind: "count" },
  { label: "MQL → SQL", key: "mqlToSqlRate", kind: "rate" },
  { label: "Spend", key: "marketingSpend", kind: "money" },
  { label: "Cost per MQL", key: "costPerMql", kind: "money" },
  { label: "Marketing-sourced revenue", key: "marketingSourcedRevenue", kind: "money" },
];

const SALES: Figure[] = [
  { label: "Median time to accept", key: "medianMinutesToAccept", kind: "minutes" },
  { label: "Accept SLA breached", key: "acceptSlaBreached", kind: "count" },
  { label: "First-touch SLA breached", key: "firstTouchSlaBreached", kind: "count" },
  { label: "Won", key: "won", kind: "count" },
  { label: "Lost", key: "lost", kind: "count" },
  { label: "Win rate", key: "winRate", kind: "rate" },
  { label: "Won revenue", key: "wonRevenue", kind: "money" },
  { label: "Open pipeline", key: "openPipeline", kind: "money" },
];

function figureValue(figure: Figure, report: KpiReport): string {
  const current = report.kpis[figure.key] as number | null;
  const previous = report.previous[figure.key] as number | null;
  let shown = format(current, figure.kind);
  if (figure.key === "mqlTargetAttainment" && current === null) shown = `${NO_VALUE} (no target)`;
  const change = describeChange(current, previous, figure.kind);
  return change ? `${shown}  ${change}` : shown;
}

/** `2026-11-16` → `16 Nov 2026`, independent of the reader's locale. */
function humanDay(isoDay: string): string {
  const [year, month, day] = isoDay.split("-").map(Number);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  return `${day} ${months[month - 1]} ${year}`;
}

function humanPeriod(period: { from: string; to: string }): string {
  return period.from === period.to ? humanDay(period.from) : `${humanDay(period.from)} – ${humanDay(period.to)}`;
}

/** Who the figures are about, e.g. `EMEA Sales · campaign Q4 webinar`, or `all teams`. */
function scopeLabel(report: KpiReport, teamName: string | undefined): string {
  const parts = [
    ...(report.team ? [teamName ?? report.team] : []),
    ...(report.filters.rep ? [`rep ${report.filters.rep}`] : []),
    ...(report.filters.source ? [`source ${report.filters.source}`] : []),
    ...(report.filters.campaign ? [`campaign ${report.filters.campaign}`] : []),
  ];
  return parts.length > 0 ? parts.join(" · ") : "all teams";
}

export interface ScorecardOptions {
  /** The team's display name, when the report is narrowed to a team. */
  teamName?: string;
}

export function kpiScorecard(report: KpiReport, options: ScorecardOptions = {}): ChatMessage {
  const { kpis } = report;
  const scope = scopeLabel(report, options.teamName);
  const reasons = Object.entries(kpis.rejectReasons)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([reason, count]) => `${rejectReasonLabel(reason)} ${count}`);
  const extras = [
    reasons.length > 0 ? `Reject reasons: ${reasons.join(", ")}` : undefined,
    kpis.quotaAttainment !== null
      ? `Quota: ${format(kpis.quotaAttainment, "rate")} ${describeChange(kpis.quotaAttainment, report.previous.quotaAttainment, "rate")}`.trim()
      : undefined,
    kpis.retentionRate !== null ? `Retention: ${format(kpis.retentionRate, "rate")}` : undefined,
    kpis.customerLifetimeValue !== null
      ? `Est. lifetime value: ${format(kpis.customerLifetimeValue, "money")}`
      : undefined,
  ].filter((line): line is string => line !== undefined);
  return {
    text:
      `KPIs ${report.period.from}..${report.period.to} (${scope}): ${kpis.mqls} MQLs, ` +
      `acceptance ${format(kpis.acceptanceRate, "rate")}, ${kpis.won} won (${format(kpis.wonRevenue, "money")}), ` +
      `win rate ${format(kpis.winRate, "rate")}.`,
    blocks: [
      { type: "header", text: `KPIs · ${humanPeriod(report.period)}` },
      {
        type: "context",
        text: `${scope} · vs ${humanPeriod(report.previousPeriod)} · ${report.period.timezone}`,
      },
      {
        type: "columns",
        columns: [
          {
            title: "Marketing",
            fields: MARKETING.map((figure) => ({ label: figure.label, value: figureValue(figure, report) })),
          },
          {
            title: "Sales",
            fields: SALES.map((figure) => ({ label: figure.label, value: figureValue(figure, report) })),
          },
        ],
      },
      ...(extras.length > 0 ? [{ type: "context" as const, text: extras.join(" · ") }] : []),
    ],
  };
}
