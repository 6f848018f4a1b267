/**
 * The agenda as people read it in chat: opportunities and issues numbered with owner, evidence and link; the
 * scoreboard; last week's action items as tick boxes; the funnel in one line (the chart comes beside it).
 */
import type { ChatBlock, ChatMessage } from "../chat-message.ts";
import type { Agenda, AgendaItem } from "./build-agenda.ts";

/** Slack `action_id` of the tick boxes and Teams `Action.Execute` verb; data `{ actionItemId }`. */
export const AGENDA_ACTION_DONE = "agenda_action_done";
export const ACTION_ITEM_DATA_KEY = "actionItemId";

export interface AgendaMessageOptions {
  /** Posted after its slot (Baton was down then): said at the top. */
  postedLate?: boolean;
  /** A preview, not the posted agenda. */
  preview?: boolean;
  /** The funnel chart for clients that show pictures in the message (Teams); Slack gets it as a file. */
  chart?: { url: string; alt: string };
}

function itemBlock(item: AgendaItem, number: number): ChatBlock {
  const lines = [`*${number}. ${item.title}*`, `${item.owner ? `Owner: ${item.owner} · ` : ""}${item.evidence}`];
  if (item.link) lines.push(item.link);
  return { type: "text", text: lines.join("\n") };
}

/** The funnel as one line: `MQLs 51 (avg 40) → Accepted 45 (33.3) → …`. */
export function funnelLine(agenda: Agenda): string {
  return agenda.funnel.steps
    .map((step, index) => `${step.label} ${step.reviewed} (${index === 0 ? "avg " : ""}${step.baselineAverage})`)
    .join(" → ");
}

export function agendaMessage(agenda: Agenda, options: AgendaMessageOptions = {}): ChatMessage {
  const blocks: ChatBlock[] = [{ type: "header", text: agenda.title }];
  const notes: string[] = [];
  if (options.preview) notes.push("Preview: only you can see this.");
  if (options.postedLate) notes.push("Posted late: Baton was not running when this agenda was due.");
  notes.push("Last week compared with the 4 weeks before.");
  blocks.push({ type: "context", text: notes.join(" ") });

  if (agenda.gettingStarted) {
    blocks.push({ type: "text", text: agenda.gettingStarted });
  } else {
    const opportunities = agenda.items.filter((item) => item.section === "opportunity");
    const issues = agenda.items.filter((item) => item.section === "issue");
    let number = 0;
    blocks.push({ type: "text", text: "*Opportunities*" });
    if (opportunities.length === 0) blocks.push({ type: "context", text: "No open deal or waiting hot lead." });
    for (const item of opportunities) blocks.push(itemBlock(item, ++number));
    blocks.push({ type: "text", text: "*Issues*" });
    if (issues.length === 0) {
      blocks.push({ type: "context", text: "Nothing worse than usual: no SLA breach, reject cluster or slowdown." });
    }
    for (const item of issues) blocks.push(itemBlock(item, ++number));
    blocks.push({ type: "divider" });
    blocks.push({ type: "text", text: "*Scoreboard* (last week, change on the week before)" });
    blocks.push({
      type: "fields",
      fields: agenda.scoreboard.map((row) => ({
        label: row.label,
        value: row.change ? `${row.value}  ${row.change}` : row.value,
      })),
    });
    blocks.push({ type: "context", text: `Funnel last week (4-week average): ${funnelLine(agenda)}` });
    if (options.chart) blocks.push({ type: "image", url: options.chart.url, alt: options.chart.alt });
  }

  blocks.push({ type: "divider" });
  if (agenda.actionItems.length === 0) {
    blocks.push({ type: "text", text: "*Action items*" });
    blocks.push({ type: "context", text: 'None yet: `action "text" @owner [due]` adds one.' });
  } else {
    blocks.push({
      type: "checklist",
      id: AGENDA_ACTION_DONE,
      dataKey: ACTION_ITEM_DATA_KEY,
      title: "*Action items* (tick when done)",
      items: agenda.actionItems.map((item) => ({
        value: item.id,
        label: item.text,
        ...(item.owner || item.due
          ? { detail: [item.owner, item.due ? `due ${item.due}` : ""].filter(Boolean).join(", ") }
          : {}),
        checked: item.status === "done",
      })),
    });
  }

  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const summary = agenda.gettingStarted
    ? agenda.gettingStarted.replaceAll("`", "")
    : `${count(agenda.items.filter((item) => item.section === "opportunity").length, "opportunity", "opportunities")}, ${count(
        agenda.items.filter((item) => item.section === "issue").length,
        "issue",
        "issues",
      )}, ${count(agenda.actionItems.filter((item) => item.status === "open").length, "open action item", "open action items")}.`;
  return { text: `${agenda.title}${options.postedLate ? " (posted late)" : ""}: ${summary}`, blocks };
}
