/**
 * Marketing's side of the SLA: how many MQLs it owes a week (`targets.weeklyMqls`) and how many sales should find
 * good enough to accept (`targets.minAcceptanceRate`). A mid-week pacing note and an end-of-week result, posted in
 * the marketing channel with the numbers and the top reject reasons.
 */
import type { ChatBlock, ChatMessage } from "../chat-message.ts";
import { rejectReasonLabel } from "../lead-card.ts";

export interface MqlWeek {
  /** "2027-W02" */
  week: string;
  /** The week's MQLs so far (repeats of an open lead are not counted again). */
  mqls: number;
  target: number;
  /** Decided offers this week: accepted and rejected. */
  accepted: number;
  rejected: number;
  /** e.g. 0.7; absent when no floor is configured. */
  minAcceptanceRate?: number;
  /** Most frequent first. */
  topRejectReasons: { reason: string; count: number }[];
  /** Share of the week's working time gone, for the pacing note (e.g. 0.5 at Wednesday noon). */
  elapsed?: number;
}

const percent = (value: number) => `${Math.round(value * 100)} %`;

function acceptanceLine(week: MqlWeek): string {
  const decided = week.accepted + week.rejected;
  if (decided === 0) return "No offer decided yet this week.";
  const rate = week.accepted / decided;
  const floor =
    week.minAcceptanceRate === undefined
      ? ""
      : rate >= week.minAcceptanceRate
        ? ` (floor ${percent(week.minAcceptanceRate)}: met)`
        : ` (floor ${percent(week.minAcceptanceRate)}: *below*)`;
  return `Sales accepted ${week.accepted} of ${decided} (${percent(rate)})${floor}.`;
}

function reasonsBlock(week: MqlWeek): ChatBlock[] {
  if (week.topRejectReasons.length === 0) return [];
  const lines = week.topRejectReasons.map((row) => `• ${rejectReasonLabel(row.reason)}: ${row.count}`);
  return [{ type: "text", text: `*Top reject reasons*\n${lines.join("\n")}` }];
}

function render(heading: string, lines: string[], week: MqlWeek): ChatMessage {
  const blocks: ChatBlock[] = [
    { type: "header", text: heading },
    { type: "text", text: lines.join("\n") },
  ];
  blocks.push(...reasonsBlock(week));
  const reasons = week.topRejectReasons.map((row) => `${rejectReasonLabel(row.reason)} ${row.count}`).join(", ");
  return {
    text: `${heading}: ${lines.join(" ").replaceAll("*", "")}${reasons ? ` Top reject reasons: ${reasons}.` : ""}`,
    blocks,
  };
}

/** Mid-week: on pace or behind, from the share of the target reached against the share of the week gone. */
export function mqlPacingNote(week: MqlWeek): ChatMessage {
  const elapsed = week.elapsed ?? 0.5;
  const expected = Math.round(week.target * elapsed);
  const pace =
    week.mqls >= expected
      ? `on pace (${expected} expected by now)`
      : `*behind pace*: ${expected - week.mqls} short of the ${expected} expected by now`;
  return render(
    `MQL pacing, ${week.week}`,
    [
      `${week.mqls} of ${week.target} MQLs (${percent(week.target ? week.mqls / week.target : 1)}), ${pace}.`,
      acceptanceLine(week),
    ],
    week,
  );
}

/** End of week: target met or missed, and by how much. */
export function mqlWeekResult(week: MqlWeek): ChatMessage {
  const outcome = week.mqls >= week.target ? "target met" : `*target missed* by ${week.target - week.mqls}`;
  return render(
    `MQL SLA result, ${week.week}`,
    [`${week.mqls} of ${week.target} MQLs: ${outcome}.`, acceptanceLine(week)],
    week,
  );
}
