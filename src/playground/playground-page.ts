/**
 * The playground page, rendered on the server: conversations down the side, the selected one in the middle, the
 * tools (send an MQL, `/baton`, routing sandbox) on the right. `assets/playground.js` only adds what needs a
 * browser: live updates, clicks, forms, the Teams view.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { REJECT_REASONS } from "../domain/lead-card.ts";
import { type ConversationInfo, describeConversation, listConversations } from "./conversations.ts";
import { html, raw, type SafeHtml } from "./html.ts";
import type { FeedEntry } from "./playground-feed.ts";
import { renderFeedEntry } from "./render-feed-entry.ts";
import { SAMPLE_MQLS } from "./sample-mqls.ts";

export interface PlaygroundPageInput {
  config: BatonConfig;
  entries: FeedEntry[];
  lastSeq: number;
}

const prettyJson = (value: unknown) => JSON.stringify(value, null, 2);

function conversationButton(info: ConversationInfo, selected: boolean): SafeHtml {
  const sigil = info.kind === "channel" ? "#" : "@";
  return html`<li><button type="button" class="channel" data-conversation="${info.id}" title="${info.purpose} (${info.id})"${
    selected ? html` aria-current="true"` : ""
  }><span aria-hidden="true">${sigil}</span> ${info.label}<span class="unread" hidden></span></button></li>`;
}

function pane(
  info: ConversationInfo,
  entries: FeedEntry[],
  describe: (id: string) => ConversationInfo,
  selected: boolean,
) {
  const top = entries.filter((entry) => !entry.threadOf);
  const replies = (parent: FeedEntry) =>
    entries.filter(
      (entry) => entry.threadOf === parent.ref.messageId && entry.ref.conversation === parent.ref.conversation,
    );
  return html`<section class="pane" data-conversation="${info.id}" aria-label="${info.label}"${selected ? "" : html` hidden`}>
<h2 class="pane-title"><span aria-hidden="true">${info.kind === "channel" ? "#" : "@"}</span> ${info.label}</h2>
<p class="pane-purpose">${info.purpose} · <code>${info.id}</code></p>
<div class="messages" role="log" aria-live="polite" aria-relevant="additions">${top.map((entry) => renderFeedEntry(entry, describe, replies(entry)))}
<p class="empty"${top.length ? html` hidden` : ""}>Nothing posted here yet.</p></div>
</section>`;
}

export function renderPlaygroundPage(input: PlaygroundPageInput): string {
  const known = listConversations(input.config);
  const describe = (id: string) => describeConversation(id, known);
  const seen = new Set(input.entries.map((entry) => entry.ref.conversation));
  const channels = known.filter((info) => info.kind === "channel");
  // Direct-message conversations show once something was sent there; so does anything the config no longer names.
  const others = [...seen].filter((id) => !channels.some((info) => info.id === id)).map(describe);
  const listed = [...channels, ...others];
  const selected = listed[0]?.id;
  const byConversation = (id: string) => input.entries.filter((entry) => entry.ref.conversation === id);

  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Baton playground</title>
<link rel="stylesheet" href="/playground/assets/adaptivecards.css">
<link rel="stylesheet" href="/playground/assets/playground.css">
</head>
<body data-view="slack">
<a class="skip-link" href="#conversation">Skip to the conversation</a>
<header class="topbar">
  <h1>Baton playground <span class="subtitle">${input.config.organization} · local, nothing leaves this machine</span></h1>
  <fieldset class="view-switch">
    <legend>Show cards as</legend>
    <label><input type="radio" name="view" value="slack" checked> Slack</label>
    <label><input type="radio" name="view" value="teams"> Microsoft Teams</label>
  </fieldset>
  <div class="actor">
    <label for="actor">Act as</label>
    <select id="actor">${input.config.teams.map(
      (team) =>
        html`<optgroup label="${team.name}">${team.reps.map((rep) => html`<option value="${rep.id}">${rep.name} (${rep.id})</option>`)}</optgroup>`,
    )}</select>
  </div>
</header>
<div class="layout">
  <nav class="sidebar" aria-label="Conversations">
    <h2>Channels</h2>
    <ul id="channel-list">${channels.map((info) => conversationButton(info, info.id === selected))}</ul>
    <h2>Direct messages</h2>
    <ul id="direct-list">${others.map((info) => conversationButton(info, false))}</ul>
  </nav>
  <main id="conversation" tabindex="-1">
    <div id="panes">${listed.map((info) => pane(info, byConversation(info.id), describe, info.id === selected))}</div>
  </main>
  <aside class="tools" aria-label="Tools">
    <section aria-labelledby="mql-heading">
      <h2 class="tool-heading" id="mql-heading">Send an MQL</h2>
      <p class="hint">Posted to <code>POST /webhooks/mql</code> like a marketing system would, signed by the server when <code>INTAKE_SIGNING_SECRET</code> is set.</p>
      <form id="mql-form">
        <label for="mql-sample">Sample</label>
        <select id="mql-sample">${SAMPLE_MQLS.map(
          (sample, index) =>
            html`<option value="${index}" data-mql="${JSON.stringify(sample.mql)}">${sample.label}</option>`,
        )}</select>
        <label for="mql-json">MQL (JSON, edit freely)</label>
        <textarea id="mql-json" rows="10" spellcheck="false">${prettyJson(SAMPLE_MQLS[0].mql)}</textarea>
        <button type="submit">Send MQL</button>
        <output id="mql-result" for="mql-json" role="status"></output>
      </form>
    </section>
    <section aria-labelledby="command-heading">
      <h2 class="tool-heading" id="command-heading">Command</h2>
      <form id="command-form">
        <label for="command">Type what follows <code>/baton</code></label>
        <div class="command-row"><span aria-hidden="true">/baton</span><input id="command" autocomplete="off" placeholder="help"></div>
        <button type="submit">Run</button>
        <pre id="command-result" role="status" aria-live="polite"></pre>
      </form>
    </section>
    <section aria-labelledby="route-heading">
      <h2 class="tool-heading" id="route-heading">Routing sandbox</h2>
      <p class="hint">Which rule, team and rep an MQL would get, and why. Nothing is stored. Same answer as <code>npm run route -- mql.json</code>.</p>
      <form id="route-form">
        <label for="route-json">MQL (JSON)</label>
        <textarea id="route-json" rows="8" spellcheck="false">${prettyJson(SAMPLE_MQLS[0].mql)}</textarea>
        <button type="submit">Route it</button>
        <pre id="route-result" role="status" aria-live="polite"></pre>
      </form>
    </section>
  </aside>
</div>
<div id="notice" class="notice" role="status" aria-live="polite" hidden></div>
<dialog id="reject-dialog" aria-labelledby="reject-title">
  <form id="reject-form" novalidate>
    <h2 id="reject-title">Reject lead</h2>
    <p>Marketing reads your reason: it is how lead quality gets better.</p>
    <label for="reject-reason">Reason</label>
    <select id="reject-reason" aria-describedby="reject-reason-error">
      <option value="">Choose a reason</option>
      ${REJECT_REASONS.map((reason) => html`<option value="${reason.code}">${reason.label}</option>`)}
    </select>
    <p id="reject-reason-error" class="field-error"></p>
    <label for="reject-comment">Comment</label>
    <textarea id="reject-comment" rows="3" maxlength="1000" aria-describedby="reject-comment-hint reject-comment-error"></textarea>
    <p id="reject-comment-hint" class="hint">Required for “Other”. Marketing sees it.</p>
    <p id="reject-comment-error" class="field-error"></p>
    <div class="dialog-buttons">
      <button type="button" id="reject-cancel">Cancel</button>
      <button type="submit" class="danger">Reject</button>
    </div>
  </form>
</dialog>
<script id="playground-state" type="application/json">${raw(
    // Script content is not entity-decoded: escape only what could end the element.
    JSON.stringify({ lastSeq: input.lastSeq, conversations: known }).replaceAll("<", "\\u003c"),
  )}</script>
<script src="/playground/assets/adaptivecards.min.js"></script>
<script src="/playground/assets/playground.js"></script>
</body>
</html>
`.value;
}
