/**
 * A KPI report as CSV for spreadsheets (`GET /api/kpi` with `Accept: text/csv`): one row per figure, this
 * period's value beside the previous period's, the periods themselves in the first rows. Reject reasons become
 * `rejectReasons.<reason>` rows; a null rate is an empty cell.
 */
import type { Kpis } from "./kpi-definitions.ts";
import type { KpiReport } from "./kpi-report.ts";

type Cell = string | number | null;

/** RFC 4180: quote a cell holding a comma, a quote or a line break; a leading =+-@ is defused for spreadsheets. */
function cell(value: Cell): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function figureRows(current: Kpis, previous: Kpis): Cell[][] {
  const rows: Cell[][] = [];
  for (const key of Object.keys(current) as (keyof Kpis)[]) {
    if (key === "rejectReasons") {
      const reasons = [...new Set([...Object.keys(current.rejectReasons), ...Object.keys(previous.rejectReasons)])];
      for (const reason of reasons.sort()) {
        rows.push([`rejectReasons.${reason}`, current.rejectReasons[reason] ?? 0, previous.rejectReasons[reason] ?? 0]);
      }
      continue;
    }
    rows.push([key, current[key] as number | null, previous[key] as number | null]);
  }
  return rows;
}

export function kpiReportToCsv(report: KpiReport): string {
  const rows: Cell[][] = [
    ["metric", "value", "previous"],
    ["from", report.period.from, report.previousPeriod.from],
    ["to", report.period.to, report.previousPeriod.to],
    ["timezone", report.period.timezone, report.period.timezone],
    ["team", report.team, report.team],
    ...Object.entries(report.filters).map(([key, value]): Cell[] => [key, value ?? null, value ?? null]),
    ...figureRows(report.kpis, report.previous),
  ];
  return `${rows.map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}
