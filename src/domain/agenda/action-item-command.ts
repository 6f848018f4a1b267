/**
 * The words of the chat verb `action`, as typed in Slack (`/baton action …`), Teams, the console or the playground:
 * - `action "text" @owner [due] [team]` adds an item to the weekly agenda (the team's, else the joint one);
 * - `action list [team]` lists the open items, numbered;
 * - `action done <n|id> [team]` and `action drop <n|id> [team]` close one, by its number in the list or its id.
 * Only the shape is read here; which words name a team, and what day `friday` is, need the configuration and the
 * clock, and are settled by the handler (src/agenda/answer-action-command.ts).
 */
import { dueWordsAt } from "./action-item-due.ts";

export const ACTION_USAGE = 'action "text" @owner [due] [team]';
export const ACTION_USAGE_LINES = [
  `\`${ACTION_USAGE}\`: add an action item to the weekly agenda (the team's, else the joint sales–marketing one)`,
  "`action list [team]`: the open action items, numbered",
  "`action done <n|id> [team]`: mark one done (`action drop …` drops it)",
  "due: YYYY-MM-DD, today, tomorrow, a weekday or next week; owner: @mention or a name",
].join("\n");

/** Who the person named as the owner, before the configuration is consulted. */
export type OwnerWord =
  /** A Slack mention, `<@U0123|ada>`: the user, and the name Slack showed when it sent one. */
  | { kind: "user"; user: string; label?: string }
  /** A Teams mention, `<at>Grace Hopper</at>`: the display name. */
  | { kind: "mention"; name: string }
  /** `@ada`: a rep id or name, else the name as written. */
  | { kind: "handle"; handle: string };

export type ActionRequest =
  | {
      kind: "add";
      text: string;
      owner?: OwnerWord;
      /** The due date as typed (`next week` as one phrase). */
      due?: string;
      /** Words left over: a team id, or the owner's name when no mention named them. */
      words: string[];
    }
  | { kind: "list"; team?: string }
  | { kind: "done" | "drop"; item: string; team?: string };

/** Longer texts belong in a document linked from the item, not in an agenda line. */
export const MAX_ACTION_TEXT = 500;

/**
 * Puts the grammar's words back into phrases: its tokenizer split a Teams mention (`<at>Grace Hopper</at>`) and a
 * curly-quoted phrase (`“call back”`, as Teams and phones type quotes) into several words.
 */
function phrasesOf(args: readonly string[]): string[] {
  const phrases: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const closes = (end: RegExp) => {
      let j = i;
      while (j < args.length - 1 && !end.test(args[j])) j++;
      return j;
    };
    if (/^<at>/i.test(word)) {
      const last = closes(/<\/at>$/i);
      const name = args
        .slice(i, last + 1)
        .join(" ")
        .replace(/^<at>\s*/i, "")
        .replace(/\s*<\/at>$/i, "");
      phrases.push(`<at>${name}</at>`);
      i = last;
    } else if (/^[“”]/.test(word) && !/.[“”]$/.test(word)) {
      const last = closes(/[“”]$/);
      phrases.push(
        args
          .slice(i, last + 1)
          .join(" ")
          .replace(/^[“”]|[“”]$/g, ""),
      );
      i = last;
    } else {
      phrases.push(word.replace(/^[“”](.*)[“”]$/, "$1"));
    }
  }
  return phrases;
}

function ownerWordOf(word: string): OwnerWord | undefined {
  const slack = /^<@([A-Z0-9]+)(?:\|([^>]*))?>$/i.exec(word);
  if (slack) return { kind: "user", user: `slack:${slack[1].toUpperCase()}`, ...(slack[2] ? { label: slack[2] } : {}) };
  const teams = /^<at>(.+)<\/at>$/i.exec(word);
  if (teams) return { kind: "mention", name: teams[1].trim() };
  if (/^@[^\s@]+$/.test(word)) return { kind: "handle", handle: word.slice(1) };
  return undefined;
}

const CLOSING = new Set(["done", "drop"]);

/** Reads the words after `action`; a string is what to tell the person (the usage is added by the grammar). */
export function parseActionArgs(args: readonly string[]): ActionRequest | string {
  const words = phrasesOf(args);
  const first = words[0]?.toLowerCase();
  if (first === undefined)
    return '`action` needs the item\'s text and its owner, e.g. `action "Fix EMEA routing" @ada friday`.';
  // `list`, `done` and `drop` as the first word are the sub-commands (an item's text to that effect goes in quotes).
  if (first === "list") {
    if (words.length > 2) return "`action list` takes at most a team.";
    return { kind: "list", ...(words[1] ? { team: words[1].toLowerCase() } : {}) };
  }
  if (CLOSING.has(first)) {
    if (words.length === 1) return `\`action ${first}\` needs the item's number (see \`action list\`) or id.`;
    if (words.length > 3) return `\`action ${first}\` takes an item's number or id, and at most a team.`;
    return {
      kind: first as "done" | "drop",
      item: words[1],
      ...(words[2] ? { team: words[2].toLowerCase() } : {}),
    };
  }

  // The text: a quoted phrase, else every word up to the owner's mention.
  const ownerAt = words.findIndex((word, index) => index > 0 && ownerWordOf(word) !== undefined);
  const textEnds = /\s/.test(words[0]) || ownerAt < 0 ? 1 : ownerAt;
  const text = words.slice(0, textEnds).join(" ").trim();
  if (ownerWordOf(words[0]) !== undefined) return "Start with what is to be done, then its owner.";
  if (text.length > MAX_ACTION_TEXT) return `Keep the text under ${MAX_ACTION_TEXT} characters.`;

  const request: Extract<ActionRequest, { kind: "add" }> = { kind: "add", text, words: [] };
  for (let i = textEnds; i < words.length; i++) {
    const owner = ownerWordOf(words[i]);
    const dueLength = dueWordsAt(words, i);
    if (owner) {
      if (request.owner) return "Give one owner per action item.";
      request.owner = owner;
    } else if (dueLength > 0) {
      if (request.due) return "Give one due date.";
      request.due = words.slice(i, i + dueLength).join(" ");
      i += dueLength - 1;
    } else {
      request.words.push(words[i]);
    }
  }
  if (request.words.length > 2) {
    return `Too many words after the text: ${request.words.map((word) => `"${word}"`).join(", ")}. Put the text, and a name with spaces, in quotes.`;
  }
  return request;
}
