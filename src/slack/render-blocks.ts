/**
 * Renders Baton's platform-neutral {@link ChatMessage} as Slack Block Kit, within Slack's documented limits
 * (50 blocks, 10 fields per section, 150-character headers, 75-character button labels, 3,000-character text).
 */
import type { ChatAction, ChatBlock, ChatMessage } from "../domain/chat-message.ts";

/** The subset of Block Kit Baton sends; structurally compatible with `@slack/types`' `KnownBlock`. */
export type SlackBlock =
  | { type: "header"; text: PlainText }
  | { type: "section"; text?: Mrkdwn; fields?: Mrkdwn[]; accessory?: SlackCheckboxes }
  | { type: "image"; image_url: string; alt_text: string }
  | { type: "context"; elements: Mrkdwn[] }
  | { type: "actions"; elements: SlackButton[] }
  | { type: "divider" };

export interface PlainText {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: "mrkdwn";
  text: string;
}
export interface SlackButton {
  type: "button";
  action_id: string;
  text: PlainText;
  value: string;
  style?: "primary" | "danger";
}

export interface SlackCheckboxes {
  type: "checkboxes";
  action_id: string;
  options: SlackOption[];
  initial_options?: SlackOption[];
}

export interface SlackOption {
  text: Mrkdwn;
  value: string;
  description?: Mrkdwn;
}

/** What `chat.postMessage` / `chat.update` / `chat.postEphemeral` take besides the channel. */
export interface SlackMessageContent {
  /** Slack's fallback for notifications and screen readers; always set. */
  text: string;
  blocks: SlackBlock[];
}

const MAX_BLOCKS = 50;
const MAX_FIELDS_PER_SECTION = 10;
const MAX_ACTIONS_PER_BLOCK = 25;
const MAX_HEADER = 150;
const MAX_FIELD = 2000;
const MAX_TEXT = 3000;
const MAX_BUTTON_LABEL = 75;
const MAX_FALLBACK_TEXT = 4000;
const MAX_CHECKBOX_OPTIONS = 10;
/** Slack's limit for an option's text and for its description. */
const MAX_OPTION_TEXT = 75;

/** Slack treats `&`, `<` and `>` as control characters in mrkdwn; lead data must not turn into links or mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const plain = (text: string, max: number): PlainText => ({
  type: "plain_text",
  text: truncate(text, max),
  emoji: true,
});
const mrkdwn = (text: string, max = MAX_TEXT): Mrkdwn => ({ type: "mrkdwn", text: truncate(escapeMrkdwn(text), max) });

function button(action: ChatAction): SlackButton {
  return {
    type: "button",
    action_id: action.id,
    text: plain(action.label, MAX_BUTTON_LABEL),
    value: action.value,
    ...(action.style ? { style: action.style } : {}),
  };
}

function renderBlock(block: ChatBlock): SlackBlock[] {
  switch (block.type) {
    case "header":
      return [{ type: "header", text: plain(block.text, MAX_HEADER) }];
    case "text":
      return block.text.trim() ? [{ type: "section", text: mrkdwn(block.text) }] : [];
    case "context":
      return block.text.trim() ? [{ type: "context", elements: [mrkdwn(block.text)] }] : [];
    case "fields": {
      const sections: SlackBlock[] = [];
      for (let start = 0; start < block.fields.length; start += MAX_FIELDS_PER_SECTION) {
        const fields = block.fields
          .slice(start, start + MAX_FIELDS_PER_SECTION)
          .map((field) => mrkdwn(`*${field.label}*\n${field.value}`, MAX_FIELD));
        sections.push({ type: "section", fields });
      }
      return sections;
    }
    case "columns": {
      // Slack lays a section's fields out two to a row: interleaving two columns puts them side by side.
      const height = Math.max(0, ...block.columns.map((column) => column.fields.length));
      const cells: string[] = [];
      for (let row = -1; row < height; row++) {
        for (const column of block.columns.slice(0, 2)) {
          const field = row < 0 ? undefined : column.fields[row];
          cells.push(row < 0 ? `*${column.title}*` : field ? `*${field.label}*\n${field.value}` : " ");
        }
      }
      const sections: SlackBlock[] = [];
      for (let start = 0; start < cells.length; start += MAX_FIELDS_PER_SECTION) {
        sections.push({
          type: "section",
          fields: cells.slice(start, start + MAX_FIELDS_PER_SECTION).map((cell) => mrkdwn(cell, MAX_FIELD)),
        });
      }
      return sections;
    }
    case "actions": {
      const groups: SlackBlock[] = [];
      for (let start = 0; start < block.actions.length; start += MAX_ACTIONS_PER_BLOCK) {
        groups.push({
          type: "actions",
          elements: block.actions.slice(start, start + MAX_ACTIONS_PER_BLOCK).map(button),
        });
      }
      return groups;
    }
    case "checklist": {
      if (block.items.length === 0) return [];
      const options = block.items.slice(0, MAX_CHECKBOX_OPTIONS).map((item) => ({
        item,
        option: {
          text: mrkdwn(item.label, MAX_OPTION_TEXT),
          value: item.value,
          ...(item.detail ? { description: mrkdwn(item.detail, MAX_OPTION_TEXT) } : {}),
        },
      }));
      const checked = options.filter(({ item }) => item.checked).map(({ option }) => option);
      return [
        {
          type: "section",
          text: mrkdwn(block.title),
          accessory: {
            type: "checkboxes",
            action_id: block.id,
            options: options.map(({ option }) => option),
            ...(checked.length > 0 ? { initial_options: checked } : {}),
          },
        },
      ];
    }
    case "image":
      // Slack fetches images itself and cannot read data: URIs; those are uploaded as files instead.
      return block.url.startsWith("https://") ? [{ type: "image", image_url: block.url, alt_text: block.alt }] : [];
    case "divider":
      return [{ type: "divider" }];
  }
}

/**
 * Block Kit for a message, plus the fallback `text` Slack shows in notifications. Slack parses that text as mrkdwn
 * too, so it is escaped like the blocks: a lead named `<!channel>` must not ping a whole sales channel.
 */
export function renderBlocks(message: ChatMessage): SlackMessageContent {
  const text = truncate(escapeMrkdwn(message.text), MAX_FALLBACK_TEXT);
  const blocks = message.blocks.flatMap(renderBlock);
  if (blocks.length > MAX_BLOCKS) {
    // Keep the buttons: a card that lost its Accept button is worse than one that lost a paragraph.
    const actions = blocks.filter((block) => block.type === "actions");
    const others = blocks.filter((block) => block.type !== "actions").slice(0, MAX_BLOCKS - actions.length);
    return { text, blocks: [...others, ...actions] };
  }
  return { text, blocks };
}

/**
 * What a person reads in a rendered message, top to bottom, buttons as `[Accept]`: for tests and logs, so they
 * check what Slack shows rather than the JSON's shape.
 */
export function readSlackBlocks(blocks: readonly SlackBlock[]): string {
  return blocks.map(readBlock).join("\n");
}

const unescapeMrkdwn = (text: string) => text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

function readBlock(block: SlackBlock): string {
  switch (block.type) {
    case "header":
      return block.text.text;
    case "section":
      return [
        block.text?.text,
        ...(block.fields ?? []).map((field) => field.text.replace("\n", ": ")),
        ...(block.accessory?.options ?? []).map((option) => {
          const ticked = block.accessory?.initial_options?.some((initial) => initial.value === option.value);
          return `${ticked ? "[x]" : "[ ]"} ${option.text.text}${option.description ? ` (${option.description.text})` : ""}`;
        }),
      ]
        .filter((text): text is string => Boolean(text))
        .map(unescapeMrkdwn)
        .join("\n");
    case "context":
      return block.elements.map((element) => unescapeMrkdwn(element.text)).join(" ");
    case "actions":
      return block.elements.map((element) => `[${element.text.text}]`).join(" ");
    case "image":
      return `[image: ${block.alt_text}]`;
    case "divider":
      return "---";
  }
}
