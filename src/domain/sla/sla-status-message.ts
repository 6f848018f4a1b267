/** The answer to `sla [team]`: open clocks, leads at risk in the next business hour, this week's breaches by rep. */
import type { ChatBlock, ChatMessage } from "../chat-message.ts";
import { formatWhen } from "../lead-card.ts";
import type { SlaKind } from "./sla-clock.ts";

export interface SlaStatusReport {
  /** A team's name, or null for every team. */
  teamName: string | null;
  open: Record<SlaKind, number>;
  /** Running clocks due within the next business hour, soonest first. */
  atRisk: { who: string; kind: SlaKind; dueAt: Date; holder: string; timeZone: string }[];
  /** Breaches since `weekStart`, most first; the holder is the owner, or the suggested rep of an unaccepted offer. */
  breachesByRep: { rep: string; count: number }[];
  weekStart: Date;
  timeZone: string;
}

const KIND: Record<SlaKind, string> = { accept: "accept", first_touch: "first touch" };

export function slaStatusMessage(report: SlaStatusReport): ChatMessage {
  const scope = report.teamName ?? "all teams";
  const breaches = report.breachesByRep.reduce((sum, row) => sum + row.count, 0);
  const blocks: ChatBlock[] = [
    { type: "header", text: `SLA: ${scope}` },
    {
      type: "fields",
      fields: [
        { label: "Waiting for accept", value: String(report.open.accept) },
        { label: "Waiting for first touch", value: String(report.open.first_touch) },
        { label: "At risk (next business hour)", value: String(report.atRisk.length) },
        { label: "Breaches this week", value: String(breaches) },
      ],
    },
  ];
  if (report.atRisk.length > 0) {
    const lines = report.atRisk.map(
      (risk) => `• ${risk.who}: ${KIND[risk.kind]} due ${formatWhen(risk.dueAt, risk.timeZone)} (${risk.holder})`,
    );
    blocks.push({ type: "text", text: `*At risk*\n${lines.join("\n")}` });
  }
  if (report.breachesByRep.length > 0) {
    const lines = report.breachesByRep.map((row) => `• ${row.rep}: ${row.count}`);
    blocks.push({ type: "text", text: `*Breaches this week, by rep*\n${lines.join("\n")}` });
  }
  blocks.push({ type: "context", text: `Week from ${formatWhen(report.weekStart, report.timeZone)}.` });
  const open = report.open.accept + report.open.first_touch;
  return {
    text: `SLA for ${scope}: ${open} open ${open === 1 ? "clock" : "clocks"} (${report.open.accept} accept, ${report.open.first_touch} first touch), ${report.atRisk.length} at risk in the next business hour, ${breaches} ${breaches === 1 ? "breach" : "breaches"} this week.`,
    blocks,
  };
}

export function unknownTeamReply(query: string, teams: string[]): ChatMessage {
  const text = `No team matches “${query}”. Teams: ${teams.join(", ")}.`;
  return { text, blocks: [{ type: "text", text }] };
}
