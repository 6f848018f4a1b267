/**
 * One message of the playground's feed as HTML: the Slack view (Block Kit from the Slack adapter's renderer, shown
 * as HTML) and the Teams view (the Teams adapter's Adaptive Card, carried as JSON for the page to render with
 * Microsoft's `adaptivecards` library). The page and its live updates use this same function.
 */
import { renderBlocks } from "../slack/render-blocks.ts";
import { renderAdaptiveCard } from "../teams/render-adaptive-card.ts";
import type { ConversationInfo } from "./conversations.ts";
import { html, type SafeHtml } from "./html.ts";
import type { FeedEntry } from "./playground-feed.ts";
import { renderSlackHtml } from "./render-slack-html.ts";

/** A DOM id for a message: conversation ids hold `:` and `@`, which are awkward in selectors. */
export function messageDomId(entry: Pick<FeedEntry, "ref">): string {
  return `m-${Buffer.from(`${entry.ref.conversation}/${entry.ref.messageId}`).toString("base64url")}`;
}

const clock = (at: Date) => at.toISOString().slice(11, 16);

/** The message, with `replies` (its thread, when rendering a whole page) inside it. */
export function renderFeedEntry(
  entry: FeedEntry,
  describe: (id: string) => ConversationInfo,
  replies: FeedEntry[] = [],
): SafeHtml {
  const card = renderAdaptiveCard(entry.message);
  const leadId = entry.message.blocks
    .flatMap((block) => (block.type === "actions" ? block.actions : []))
    .find((action) => action.id.startsWith("lead_"))?.value;
  return html`<article class="message${entry.kind === "private" ? " message-private" : ""}" id="${messageDomId(entry)}"
  data-conversation="${entry.ref.conversation}" data-message-id="${entry.ref.messageId}"
  data-thread-of="${entry.threadOf ?? ""}" data-seq="${entry.seq}" data-lead-id="${leadId ?? ""}" data-kind="${entry.kind}">
<div class="message-main">
<header class="message-meta"><span class="author">Baton</span> <span class="app-tag">APP</span>
<time datetime="${entry.postedAt.toISOString()}">${clock(entry.postedAt)} UTC</time>${
    entry.updatedAt ? html` <span class="edited">(edited ${clock(entry.updatedAt)})</span>` : ""
  }${entry.kind === "private" && entry.privateTo ? html` <span class="only-you">Only visible to ${describe(entry.privateTo).label}</span>` : ""}${
    entry.threadOf ? html` <span class="thread-tag">in thread</span>` : ""
  }</header>
<div class="slack-view">${renderSlackHtml(renderBlocks(entry.message))}</div>
<div class="teams-view" data-card="${JSON.stringify(card)}"></div>
</div>
<div class="thread" aria-label="Replies in thread">${replies.map((reply) => renderFeedEntry(reply, describe))}</div>
</article>`;
}
