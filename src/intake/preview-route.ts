/**
 * Where an MQL would go, without storing anything: the same router the intake uses ({@link routeLead}) over the
 * same team states (capacity use, recent offers), read only. The playground's routing sandbox and
 * `npm run route` both answer with {@link formatRoutePreview}, so they cannot disagree.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { routeLead } from "../domain/routing/route-lead.ts";
import { leadRowOf } from "../repositories/leads.ts";
import type { Db } from "../repositories/outbox.ts";
import { loadIntakeContext } from "./intake-context.ts";
import { routingPolicyOf } from "./offer-lead.ts";
import { toMql } from "./receive-mql.ts";

export interface RoutePreview {
  /** `named-account`, a rule id or `fallback`; null when no team is left to take it. */
  ruleId: string | null;
  team: { id: string; name: string } | null;
  /** The rep round-robin would suggest; null when nobody in the team can take it now. */
  rep: { id: string; name: string } | null;
  reason: string;
  /** What the intake would do instead of offering it (a repeat of a stored MQL, or a person with an open lead). */
  notes: string[];
}

/** Routes `body` (the generic MQL JSON) as the intake would at `now`; throws the intake's 400 error when invalid. */
export async function previewRoute(db: Db, config: BatonConfig, body: unknown, now: Date): Promise<RoutePreview> {
  const mql = toMql(body);
  const lead = leadRowOf(mql, body, now);
  // The intake's own read: the routing state and what is stored for this MQL, as an arriving MQL sees them.
  const { matches, routing } = await loadIntakeContext(db, mql, now);
  const teams = routing.states;
  const decision = routeLead(lead, routingPolicyOf(config), teams, { now });
  const notes: string[] = [];
  const { stored, open } = matches;
  if (stored) notes.push(`${mql.source}/${mql.externalId} was already received: sending it again is a duplicate.`);
  if (open && open.id !== stored?.id) {
    notes.push(`${mql.email} has an open lead (${open.id}): a new MQL is linked to it, not offered again.`);
  }
  if (!decision) return { ruleId: null, team: null, rep: null, reason: "no active team can take it", notes };
  const team = teams.find((candidate) => candidate.id === decision.teamId);
  const rep = team?.reps.find((candidate) => candidate.id === decision.repId);
  return {
    ruleId: decision.ruleId,
    team: { id: decision.teamId, name: team?.name ?? decision.teamId },
    rep: rep ? { id: rep.id, name: rep.name } : null,
    reason: decision.reason,
    notes,
  };
}

/** The answer as a person reads it, one fact a line. */
export function formatRoutePreview(preview: RoutePreview): string {
  const lines = [
    `team: ${preview.team ? `${preview.team.name} (${preview.team.id})` : "none"}`,
    `rule: ${preview.ruleId ?? "none"}`,
    `rep:  ${preview.rep ? `${preview.rep.name} (${preview.rep.id})` : "none available now: anyone in the team can take it"}`,
    `why:  ${preview.reason}`,
    ...preview.notes.map((note) => `note: ${note}`),
  ];
  return lines.join("\n");
}
