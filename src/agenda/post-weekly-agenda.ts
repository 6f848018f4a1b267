/**
 * Posts one scope's agenda for one week, exactly once: the `WeeklyAgenda` row (unique on scope and week) and the
 * outbox messages are written in one transaction, so of two replicas, or a restart, the second finds the row and
 * posts nothing. On Slack the funnel chart follows as a file in the agenda's thread; on Teams it is in the card.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { agendaMessage } from "../domain/agenda/agenda-message.ts";
import { buildAgenda } from "../domain/agenda/build-agenda.ts";
import { platformOf } from "../domain/chat-message.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { enqueueOutbox } from "../repositories/outbox.ts";
import type { PostedAgenda } from "./agenda-targets.ts";
import { loadAgendaFacts } from "./load-agenda-facts.ts";
import { renderFunnelChart } from "./render-funnel-chart.ts";

export interface PostAgendaDeps {
  prisma: PrismaClient;
  batonConfig: () => BatonConfig;
  onOutbox?: () => void;
}

/**
 * Teams shows the chart inside the card as a `data:` URI, and a bot message must stay small (Microsoft has named
 * limits from 28 KB to 100 KB over the years): a smaller rendering, and a ceiling on what is inlined.
 */
const TEAMS_CHART_SCALE = 0.8;
const MAX_INLINE_CHART_BASE64 = 26_000;

export const agendaPostKey = (scope: string, weekStart: string) => `agenda:${scope}:${weekStart}:post`;

/** "posted", or "already" when this scope's agenda of that week exists (another replica, an earlier run). */
export async function postWeeklyAgenda(
  deps: PostAgendaDeps,
  target: PostedAgenda,
  input: { weekStart: string; now: Date; late: boolean },
): Promise<"posted" | "already"> {
  const weekDate = new Date(`${input.weekStart}T00:00:00Z`);
  const existing = await deps.prisma.weeklyAgenda.findUnique({
    where: { scope_weekStart: { scope: target.scope, weekStart: weekDate } },
    select: { id: true },
  });
  if (existing) return "already";
  const agenda = buildAgenda(
    await loadAgendaFacts(deps.prisma, deps.batonConfig(), target, input.weekStart),
    input.now,
  );
  const platform = platformOf(target.conversation);
  const hasChart = !agenda.gettingStarted && platform !== "console";
  const chartAlt = `Funnel chart: ${agenda.funnel.steps.map((step) => `${step.label} ${step.reviewed} (avg ${step.baselineAverage})`).join(", ")}`;
  const chart = hasChart ? await renderFunnelChart(agenda, platform === "teams" ? TEAMS_CHART_SCALE : 1.5) : undefined;
  const inlineChart = chart && platform === "teams" ? chart.toString("base64") : undefined;
  const message = agendaMessage(agenda, {
    postedLate: input.late,
    // Teams refuses bot messages over its size limit: a chart too large to travel in the card is left out (the
    // funnel line says the same in text).
    ...(inlineChart && inlineChart.length <= MAX_INLINE_CHART_BASE64
      ? { chart: { url: `data:image/png;base64,${inlineChart}`, alt: chartAlt } }
      : {}),
  });
  const posted = await deps.prisma.$transaction(async (tx) => {
    const { count } = await tx.weeklyAgenda.createMany({
      data: [
        {
          scope: target.scope,
          teamId: target.team?.id ?? null,
          weekStart: weekDate,
          content: JSON.parse(JSON.stringify(agenda)) as Prisma.InputJsonValue,
          conversation: target.conversation,
          postedAt: input.now,
          postedLate: input.late,
        },
      ],
      skipDuplicates: true,
    });
    if (count === 0) return false;
    const postKey = agendaPostKey(target.scope, input.weekStart);
    // Due from the run's own time, so a run with an injected clock is delivered by a worker on that clock.
    await enqueueOutbox(tx, {
      notBefore: input.now,
      idempotencyKey: postKey,
      conversation: target.conversation,
      payload: { kind: "post", message },
    });
    if (chart && platform === "slack") {
      await enqueueOutbox(tx, {
        notBefore: input.now,
        idempotencyKey: `agenda:${target.scope}:${input.weekStart}:chart`,
        conversation: target.conversation,
        payload: {
          kind: "file",
          file: {
            filename: `funnel-${input.weekStart}.png`,
            title: "Funnel: last week against the 4 weeks before",
            alt: chartAlt,
            base64: chart.toString("base64"),
          },
          threadOfKey: postKey,
        },
      });
    }
    return true;
  });
  if (posted) deps.onOutbox?.();
  return posted ? "posted" : "already";
}
