/**
 * Local mode's chat "platform": messages and cards are printed to the terminal, readably, so the whole flow can be
 * watched without a Slack workspace or a Teams tenant.
 */
import type { ChatMessage, ChatPort, ConversationId, MessageRef } from "../domain/chat-message.ts";
import { LEAD_ACTIONS } from "../domain/lead-card.ts";

export interface ConsoleChatOptions {
  write?: (text: string) => void;
}

/** Drops the light-markdown marks (`*bold*`, `_italic_`) a terminal cannot show. */
function plainText(text: string): string {
  return text.replace(/\*([^*\n]+)\*/g, "$1").replace(/(^|\s)_([^_\n]+)_(?=\s|$|[.,;:!?])/g, "$1$2");
}

/** Renders a message as the text a person would read, buttons shown as `[ Accept ]`. */
export function renderConsoleMessage(message: ChatMessage): string {
  const lines: string[] = [];
  for (const block of message.blocks) {
    switch (block.type) {
      case "header":
        lines.push(block.text.toUpperCase());
        break;
      case "text":
      case "context":
        lines.push(plainText(block.text));
        break;
      case "fields":
        for (const field of block.fields) lines.push(`  ${field.label}: ${field.value}`);
        break;
      case "columns":
        for (const column of block.columns) {
          lines.push(column.title);
          for (const field of column.fields) lines.push(`  ${field.label}: ${field.value}`);
        }
        break;
      case "actions": {
        lines.push(block.actions.map((action) => `[ ${action.label} ]`).join("  "));
        const hints = block.actions
          .map((action) => consoleActionHint(action.id, action.value))
          .filter((hint): hint is string => Boolean(hint));
        if (hints.length > 0) lines.push(`  type: ${hints.join("  |  ")}`);
        break;
      }
      case "checklist":
        lines.push(plainText(block.title));
        for (const item of block.items) {
          const detail = item.detail ? ` (${plainText(item.detail)})` : "";
          lines.push(`  ${item.checked ? "[x]" : "[ ]"} ${plainText(item.label)}${detail}`);
        }
        break;
      case "image":
        lines.push(`[chart: ${block.alt}]`);
        break;
      case "divider":
        lines.push("-".repeat(40));
        break;
    }
  }
  if (lines.length === 0) lines.push(message.text);
  return lines.join("\n");
}

export class ConsoleChat implements ChatPort {
  readonly platform = "console" as const;
  private sequence = 0;
  private readonly write: (text: string) => void;
  /** Everything "posted", newest last: local mode's stand-in for a channel history. */
  readonly transcript: { ref: MessageRef; kind: "post" | "update" | "direct" | "private"; text: string }[] = [];

  constructor(options: ConsoleChatOptions = {}) {
    this.write = options.write ?? ((text) => process.stdout.write(text));
  }

  private emit(kind: "post" | "update" | "direct" | "private", ref: MessageRef, heading: string, message: ChatMessage) {
    const body = renderConsoleMessage(message);
    this.transcript.push({ ref, kind, text: body });
    const frame = "═".repeat(60);
    this.write(`\n${frame}\n${heading}\n${frame}\n${body}\n`);
  }

  async post(conversation: ConversationId, message: ChatMessage, options?: { threadOf?: MessageRef }) {
    const ref = { conversation, messageId: String(++this.sequence) };
    const where = options?.threadOf ? `${conversation} (thread of #${options.threadOf.messageId})` : conversation;
    this.emit("post", ref, `📣 ${where}  #${ref.messageId}`, message);
    return ref;
  }

  async update(ref: MessageRef, message: ChatMessage) {
    this.emit("update", ref, `✏️  ${ref.conversation}  #${ref.messageId} (updated)`, message);
  }

  async sendDirect(user: ConversationId, message: ChatMessage) {
    const ref = { conversation: user, messageId: String(++this.sequence) };
    this.emit("direct", ref, `✉️  direct message to ${user}`, message);
    return ref;
  }

  async replyPrivately(conversation: ConversationId, user: ConversationId, message: ChatMessage) {
    const ref = { conversation, messageId: String(++this.sequence) };
    this.emit("private", ref, `🔒 only ${user} sees this in ${conversation}`, message);
  }
}

/** The hint printed under a card's buttons in the terminal. */
export function consoleActionHint(actionId: string, leadId: string): string | undefined {
  switch (actionId) {
    case LEAD_ACTIONS.accept:
      return `accept ${leadId} as <rep>`;
    case LEAD_ACTIONS.reject:
      return `reject ${leadId} as <rep> <reason> [comment]`;
    case LEAD_ACTIONS.firstTouch:
      return `touch ${leadId} as <rep>`;
    case LEAD_ACTIONS.markSql:
      return `sql ${leadId} as <rep>`;
    case LEAD_ACTIONS.disqualify:
      return `disqualify ${leadId} as <rep>`;
    case LEAD_ACTIONS.opportunity:
      return `opportunity ${leadId} as <rep> <amount> [currency]`;
    case LEAD_ACTIONS.won:
      return `won ${leadId} as <rep> <amount> [currency]`;
    case LEAD_ACTIONS.lost:
      return `lost ${leadId} as <rep> <reason>`;
    default:
      return undefined;
  }
}
