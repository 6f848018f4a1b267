/**
 * The chat verb `agenda [team]` (a private preview of this week's agenda) and `agenda post [team]` (admins: post
 * it now to its conversation; the scheduled run then finds it posted and does nothing).
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { agendaMessage } from "../domain/agenda/agenda-message.ts";
import { agendaWeeks } from "../domain/agenda/agenda-week.ts";
import { buildAgenda } from "../domain/agenda/build-agenda.ts";
import type { ChatMessage, ConversationId } from "../domain/chat-message.ts";
import { unknownTeamReply } from "../domain/sla/sla-status-message.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { agendaTargetFor, postedAgendas } from "./agenda-targets.ts";
import { agendaTimezone, loadAgendaFacts } from "./load-agenda-facts.ts";
import { postWeeklyAgenda } from "./post-weekly-agenda.ts";

export interface AgendaCommandDeps {
  prisma: PrismaClient;
  batonConfig: () => BatonConfig;
  isAdmin: (actor: ConversationId) => boolean;
  onOutbox?: () => void;
}

const say = (text: string): ChatMessage => ({ text: text.replaceAll("`", ""), blocks: [{ type: "text", text }] });

export async function answerAgendaCommand(
  deps: AgendaCommandDeps,
  args: string[],
  actor: ConversationId,
  now: Date,
): Promise<ChatMessage> {
  const config = deps.batonConfig();
  const posting = args[0]?.toLowerCase() === "post";
  const target = agendaTargetFor(config, (posting ? args.slice(1) : args).join(" "));
  if ("unknownTeam" in target) {
    return unknownTeamReply(
      target.unknownTeam,
      config.teams.map((team) => team.id),
    );
  }
  const weekStart = agendaWeeks(now, agendaTimezone(config, target)).weekStart;
  if (!posting) {
    const agenda = buildAgenda(await loadAgendaFacts(deps.prisma, config, target, weekStart), now);
    return agendaMessage(agenda, { preview: true });
  }
  if (!deps.isAdmin(actor)) {
    return say("Only Baton admins can post the agenda (see `admins` in the configuration file); `agenda` previews it.");
  }
  const posted = postedAgendas(config).find((candidate) => candidate.scope === target.scope);
  if (!posted) {
    return say(
      target.team
        ? `${target.team.name} has no agenda of its own: add \`agenda: {}\` (or a \`schedule\` and \`channel\`) to the team in the configuration file.`
        : "The joint agenda has no conversation: set `agenda.channel` in the configuration file.",
    );
  }
  const outcome = await postWeeklyAgenda(
    { prisma: deps.prisma, batonConfig: deps.batonConfig, onOutbox: deps.onOutbox },
    posted,
    { weekStart, now, late: false },
  );
  return outcome === "posted"
    ? say(`Posted the agenda of the week of ${weekStart} to ${posted.conversation}.`)
    : say(
        `The agenda of the week of ${weekStart} was already posted to ${posted.conversation}; it is posted once a week.`,
      );
}
