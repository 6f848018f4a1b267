/**
 * The conversations the playground lists: every one the configuration names (teams' channels, marketing, SLA
 * escalations, the agenda) and the reps' direct-message addresses, labelled the way a person knows them.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import type { ConversationId } from "../domain/chat-message.ts";

export interface ConversationInfo {
  id: ConversationId;
  label: string;
  kind: "channel" | "direct";
  /** What Baton posts there. */
  purpose: string;
}

export function listConversations(config: BatonConfig): ConversationInfo[] {
  const found = new Map<ConversationId, ConversationInfo>();
  const add = (info: ConversationInfo) => {
    if (!found.has(info.id)) found.set(info.id, info);
  };
  for (const team of config.teams) {
    add({ id: team.channel, label: team.name, kind: "channel", purpose: `${team.name}'s lead cards` });
  }
  if (config.marketing) {
    add({
      id: config.marketing.channel,
      label: config.marketing.name,
      kind: "channel",
      purpose: "Reject reasons and lead-quality feedback for marketing",
    });
  }
  for (const policy of config.sla.policies) {
    if (policy.escalateTo) {
      add({ id: policy.escalateTo, label: "Escalations", kind: "channel", purpose: `SLA escalations (${policy.id})` });
    }
  }
  if (config.agenda.channel) {
    add({
      id: config.agenda.channel,
      label: "Weekly agenda",
      kind: "channel",
      purpose: "The weekly sales–marketing agenda",
    });
  }
  for (const team of config.teams) {
    for (const rep of team.reps) {
      // Every address Baton may use to reach the rep directly (it picks by the team's platform).
      const addresses = [
        `console:${rep.id}`,
        rep.slackUserId && `slack:${rep.slackUserId}`,
        rep.teamsUserId && `teams:${rep.teamsUserId}`,
      ];
      for (const id of addresses) {
        if (id) add({ id, label: rep.name, kind: "direct", purpose: `Direct messages to ${rep.name}` });
      }
    }
  }
  return [...found.values()];
}

/** A conversation the configuration does not name (e.g. a rep removed since): shown under its own id. */
export function describeConversation(id: ConversationId, known: ConversationInfo[]): ConversationInfo {
  return known.find((info) => info.id === id) ?? { id, label: id, kind: "channel", purpose: id };
}
