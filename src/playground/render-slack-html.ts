/**
 * Shows Block Kit the way Slack does, as HTML: the playground's Slack view renders exactly what the Slack adapter
 * sends ({@link renderBlocks}), so a card that looks wrong here looks wrong in Slack.
 */
import type { Mrkdwn, PlainText, SlackBlock, SlackButton, SlackMessageContent } from "../slack/render-blocks.ts";
import { escapeHtml, html, raw, type SafeHtml } from "./html.ts";

/**
 * Slack mrkdwn to HTML. The text arrives with `&`, `<` and `>` already escaped (Slack's own rule, which is HTML's
 * too); quotes are escaped here, then the marks Slack formats: `*bold*`, `_italic_`, `~strike~`, `` `code` ``.
 */
export function mrkdwnToHtml(text: string): string {
  return text
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")
    .replace(/`([^`\n]+)`/g, "<code>$1</code>")
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?=[^\w*]|$)/g, "$1<strong>$2</strong>")
    .replace(/(^|[^\w])_(?!\s)([^_\n]+?)_(?=[^\w]|$)/g, "$1<em>$2</em>")
    .replace(/(^|[^\w])~(?!\s)([^~\n]+?)~(?=[^\w]|$)/g, "$1<del>$2</del>")
    .replace(/\n/g, "<br>");
}

const textOf = (element: Mrkdwn | PlainText): SafeHtml =>
  raw(element.type === "mrkdwn" ? mrkdwnToHtml(element.text) : escapeHtml(element.text));

function button(element: SlackButton): SafeHtml {
  const style = element.style ? ` sk-button-${element.style}` : "";
  return html`<button type="button" class="sk-button${style}" data-action="${element.action_id}" data-value="${element.value}">${element.text.text}</button>`;
}

function block(element: SlackBlock): SafeHtml {
  switch (element.type) {
    case "header":
      return html`<div class="sk-header" role="heading" aria-level="3">${element.text.text}</div>`;
    case "section":
      return html`<div class="sk-section">${element.text ? html`<div class="sk-text">${textOf(element.text)}</div>` : ""}${
        element.fields
          ? html`<div class="sk-fields">${element.fields.map((field) => html`<div class="sk-field">${textOf(field)}</div>`)}</div>`
          : ""
      }${
        element.accessory
          ? html`<div class="sk-checkboxes">${element.accessory.options.map(
              (option) =>
                html`<label class="sk-text"><input type="checkbox" disabled${
                  element.accessory?.initial_options?.some((initial) => initial.value === option.value)
                    ? raw(" checked")
                    : ""
                }> ${textOf(option.text)}</label><br>`,
            )}</div>`
          : ""
      }</div>`;
    case "context":
      return html`<div class="sk-context">${element.elements.map((part) => html`<span>${textOf(part)}</span>`)}</div>`;
    case "actions":
      return html`<div class="sk-actions">${element.elements.map(button)}</div>`;
    case "image":
      return html`<div class="sk-context">[image: ${element.alt_text}]</div>`;
    case "divider":
      return html`<hr class="sk-divider">`;
  }
}

/** The message's blocks as Slack lays them out; the fallback text when there are none. */
export function renderSlackHtml(content: SlackMessageContent): SafeHtml {
  if (content.blocks.length === 0)
    return html`<div class="sk-text">${raw(mrkdwnToHtml(escapeHtml(content.text)))}</div>`;
  return html`${content.blocks.map(block)}`;
}
