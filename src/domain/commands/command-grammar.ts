/**
 * What people type to Baton — `/baton …` in Slack, a message to the bot in Teams, a line at the local-mode prompt —
 * read once, here, into one {@link Command}. Each verb is one entry of {@link VERBS}: its usage line, what it does,
 * whether only admins may run it, and how its words are read. Help, usage errors and the "unknown word" answer are
 * built from the same entries, so every platform shows the same text.
 */
import { type ActionRequest, parseActionArgs } from "../agenda/action-item-command.ts";
import type { ChatMessage } from "../chat-message.ts";

export type Command =
  | { verb: "help" }
  | { verb: "lead"; query: string }
  | { verb: "reload" }
  | { verb: "kpi"; args: string[] }
  | { verb: "agenda"; args: string[] }
  | { verb: "action"; request: ActionRequest }
  | { verb: "sla"; args: string[] }
  | { verb: "spend"; args: string[] }
  | { verb: "forget"; email: string }
  | { verb: "outbox"; retry?: string };

export type Verb = Command["verb"];

export type ParsedCommand =
  | { ok: true; command: Command }
  /** The words did not make a command: `reply` says why, with the usage. */
  | { ok: false; reply: ChatMessage };

interface VerbEntry<V extends Verb = Verb> {
  verb: V;
  /** e.g. `lead <email or lead id>`; shown in help and in usage errors. */
  usage: string;
  summary: string;
  adminOnly?: boolean;
  /** Reads the words after the verb; a string is the problem to tell the person. */
  parse: (args: string[]) => Extract<Command, { verb: V }> | string;
}

const entry = <V extends Verb>(verbEntry: VerbEntry<V>): VerbEntry => verbEntry as unknown as VerbEntry;

/** The verbs, in the order help lists them. */
export const VERBS: readonly VerbEntry[] = [
  entry({
    verb: "lead",
    usage: "lead <email or lead id>",
    summary: "a lead's status, owner, SLA clocks and history",
    parse: (args) => {
      if (args.length === 1) return { verb: "lead", query: args[0] };
      return args.length === 0
        ? "`lead` needs the lead's email address or id."
        : "`lead` takes one email address or lead id.";
    },
  }),
  entry({
    verb: "kpi",
    usage: "kpi [period] [team|@rep|source:…|campaign:…]",
    summary: "marketing and sales numbers side by side",
    parse: (args) => ({ verb: "kpi", args }),
  }),
  entry({
    verb: "agenda",
    usage: "agenda [post] [team]",
    summary: "preview the weekly sales–marketing (or a team's) agenda; with post, post it now (admins)",
    parse: (args) => ({ verb: "agenda", args }),
  }),
  entry({
    verb: "action",
    usage: 'action "text" @owner [due] [team]',
    summary:
      "add an action item to the weekly agenda; `action list [team]` lists them, `action done <n|id>` ticks one off",
    parse: (args) => {
      const request = parseActionArgs(args);
      return typeof request === "string" ? request : { verb: "action", request };
    },
  }),
  entry({
    verb: "sla",
    usage: "sla [team]",
    summary: "open SLA clocks, leads at risk and breaches",
    parse: (args) => ({ verb: "sla", args }),
  }),
  entry({
    verb: "spend",
    usage: "spend <amount> <channel> [campaign] [week]",
    summary: "record a week's marketing spend (admins)",
    adminOnly: true,
    parse: (args) => ({ verb: "spend", args }),
  }),
  entry({
    verb: "forget",
    usage: "forget <email>",
    summary: "erase a person everywhere, keeping the counts KPIs need (admins)",
    adminOnly: true,
    parse: (args) => {
      const email = args[0] === undefined ? undefined : withoutMailto(args[0]);
      if (args.length !== 1 || !email?.includes("@")) return "`forget` takes one email address.";
      return { verb: "forget", email };
    },
  }),
  entry({
    verb: "outbox",
    usage: "outbox [retry <message id>]",
    summary: "messages stuck or given up on, and retrying one (admins)",
    adminOnly: true,
    parse: (args) => {
      if (args.length === 0) return { verb: "outbox" };
      if (args.length === 2 && args[0].toLowerCase() === "retry") return { verb: "outbox", retry: args[1] };
      return "`outbox` lists stuck and failed messages; `outbox retry <message id>` tries one again.";
    },
  }),
  entry({
    verb: "reload",
    usage: "reload",
    summary: "re-read Baton's configuration file (admins)",
    adminOnly: true,
    parse: (args) => (args.length === 0 ? { verb: "reload" } : "`reload` takes no arguments."),
  }),
  entry({
    verb: "help",
    usage: "help",
    summary: "this message",
    parse: () => ({ verb: "help" }),
  }),
];

/** Slack sends a typed email as `<mailto:a@b.example|a@b.example>`: the address inside it. */
export function withoutMailto(word: string): string {
  return word.replace(/^<mailto:([^|>]+)(\|[^>]*)?>$/, "$1");
}

export function verbEntry(verb: Verb): VerbEntry {
  return VERBS.find((candidate) => candidate.verb === verb) as VerbEntry;
}

/**
 * Splits a command line into words. Slack sends a typed email as `<mailto:a@b.example|a@b.example>` and a mention
 * as `<@U123|ada>`, each one word; double quotes keep a phrase together (`"call back on Monday"`).
 */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/<[^<>]*>|"([^"]*)"|[^\s"]+/g)) {
    words.push(match[1] ?? match[0]);
  }
  return words;
}

/** Reads one command line (without `/baton` or the @mention). Empty text means help. */
export function parseCommand(text: string): ParsedCommand {
  const [word = "help", ...args] = tokenize(text.replaceAll("\u00a0", " ").trim());
  const found = VERBS.find((candidate) => candidate.verb === word.toLowerCase());
  if (!found) return { ok: false, reply: unknownCommandReply(word) };
  const parsed = found.parse(args);
  if (typeof parsed === "string") return { ok: false, reply: withHelp(`${parsed} Usage: \`${found.usage}\``) };
  return { ok: true, command: parsed };
}

const HELP_INTRO =
  "*Baton* hands marketing's leads to sales. Lead cards appear in your team's channel: *Accept* or *Reject* them there, then log first touch, mark SQL or disqualify from the same card; after SQL, record the deal there too (Opportunity, Won, Lost) if no CRM does.";
const HOW_TO_TYPE =
  "In Slack type `/baton` and a command; in Teams mention @Baton in a channel, or write to Baton in a chat.";

function helpLines(): string {
  return VERBS.map((verb) => `• \`${verb.usage}\`: ${verb.summary}`).join("\n");
}

function message(...paragraphs: string[]): ChatMessage {
  return {
    text: paragraphs.join("\n\n").replaceAll("*", "").replaceAll("`", ""),
    blocks: paragraphs.map((text) => ({ type: "text" as const, text })),
  };
}

const withHelp = (...paragraphs: string[]): ChatMessage => message(...paragraphs, helpLines(), HOW_TO_TYPE);

/** The answer to `help`, the same on every platform. */
export function helpMessage(): ChatMessage {
  return message(HELP_INTRO, helpLines(), HOW_TO_TYPE);
}

export function unknownCommandReply(word: string): ChatMessage {
  return withHelp(`Baton doesn't know \`${word.slice(0, 40)}\`.`);
}

export function adminOnlyReply(verb: Verb): ChatMessage {
  return message(`Only Baton admins can run \`${verb}\` (see \`admins\` in the configuration file).`);
}
