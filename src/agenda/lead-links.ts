/** Links to where a lead's card was posted: a Slack permalink or a Teams deep link; none for the console. */
import { localIdOf, platformOf } from "../domain/chat-message.ts";
import type { Db } from "../repositories/outbox.ts";

/** `https://slack.com/archives/C…/p1700000000000100` opens the message in whichever workspace holds it. */
export function cardLink(conversation: string, messageRef: string): string | null {
  let platform: string;
  try {
    platform = platformOf(conversation);
  } catch {
    return null;
  }
  const local = localIdOf(conversation);
  if (platform === "slack") return `https://slack.com/archives/${local}/p${messageRef.replace(".", "")}`;
  if (platform === "teams") {
    const channel = local.split(";")[0];
    return `https://teams.microsoft.com/l/message/${encodeURIComponent(channel)}/${encodeURIComponent(messageRef)}`;
  }
  return null;
}

/** The latest posted card of each lead. */
export async function loadLeadLinks(db: Db, leadIds: string[]): Promise<Record<string, string>> {
  if (leadIds.length === 0) return {};
  const offers = await db.offer.findMany({
    where: { leadId: { in: [...new Set(leadIds)] }, messageRef: { not: null } },
    select: { leadId: true, conversation: true, messageRef: true },
    orderBy: { createdAt: "asc" },
  });
  const links: Record<string, string> = {};
  for (const offer of offers) {
    const link = offer.messageRef ? cardLink(offer.conversation, offer.messageRef) : null;
    if (link) links[offer.leadId] = link;
  }
  return links;
}
