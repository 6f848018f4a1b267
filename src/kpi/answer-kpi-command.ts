/**
 * The chat verb `kpi [period] [team|@rep|source:…|campaign:…]` for every platform: parses the arguments, checks
 * them against the configuration, loads the report and returns the scorecard — or the usage with what was wrong,
 * for the caller to show privately.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import type { ChatMessage } from "../domain/chat-message.ts";
import type { KpiReport } from "../domain/kpi/kpi-report.ts";
import { KpiInputError, type KpiRequest, resolveKpiRequest } from "../domain/kpi/kpi-request.ts";
import { kpiScorecard } from "../domain/kpi/kpi-scorecard.ts";
import { KPI_USAGE, parseKpiCommand, type RepReference } from "../domain/kpi/parse-kpi-command.ts";

export interface KpiCommandDeps {
  batonConfig: () => BatonConfig;
  loadReport: (request: KpiRequest) => Promise<KpiReport>;
}

export function kpiUsageMessage(problem: string): ChatMessage {
  return {
    text: `${problem} Usage: ${KPI_USAGE.split("\n")[0]}`,
    blocks: [
      { type: "text", text: problem },
      { type: "text", text: `*Usage:* \`${KPI_USAGE.split("\n")[0]}\`` },
      { type: "context", text: KPI_USAGE.split("\n").slice(1).join("\n") },
    ],
  };
}

/** The rep id a reference names, looked up in the configuration; undefined when nobody matches. */
function repIdOf(config: BatonConfig, reference: RepReference): string | undefined {
  const reps = config.teams.flatMap((team) => team.reps);
  switch (reference.kind) {
    case "id":
      return reps.find((rep) => rep.id === reference.id.toLowerCase())?.id ?? reference.id;
    case "user": {
      const local = reference.user.slice(reference.user.indexOf(":") + 1);
      return reps.find((rep) => rep.slackUserId === local || rep.teamsUserId === local)?.id;
    }
    case "name":
      return reps.find((rep) => rep.name.toLowerCase() === reference.name.trim().toLowerCase())?.id;
  }
}

export async function answerKpiCommand(deps: KpiCommandDeps, args: string, now: Date): Promise<ChatMessage> {
  const parsed = parseKpiCommand(args);
  if (!parsed.ok) return kpiUsageMessage(parsed.error);
  const config = deps.batonConfig();
  const { rep: repReference, ...rest } = parsed.args;
  let rep: string | undefined;
  if (repReference) {
    rep = repIdOf(config, repReference);
    if (!rep) return kpiUsageMessage("That person is not a rep in Baton's configuration.");
  }
  let request: KpiRequest;
  try {
    request = resolveKpiRequest(config, { ...rest, ...(rep ? { rep } : {}) }, now);
  } catch (error) {
    if (error instanceof KpiInputError) return kpiUsageMessage(error.message);
    throw error;
  }
  const report = await deps.loadReport(request);
  const teamName = config.teams.find((team) => team.id === report.team)?.name;
  return kpiScorecard(report, { teamName });
}
