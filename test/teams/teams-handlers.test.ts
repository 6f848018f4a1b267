/**
 * The Teams handlers with a fake HandoffService: which handoff call each click and message becomes, with whom as
 * the actor, and what the person sees back. (The real handoff behind the real server: teams-handoff.test.ts.)
 */
import type { TurnContext } from "botbuilder";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { type AnswerCommand, createCommandAnswerer } from "../../src/commands/answer-command.ts";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import type { ChatMessage } from "../../src/domain/chat-message.ts";
import { helpMessage, unknownCommandReply } from "../../src/domain/commands/command-grammar.ts";
import { type LeadCardView, renderLeadCard } from "../../src/domain/lead-card.ts";
import { AppError } from "../../src/errors.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import type { Actor, HandoffService } from "../../src/handoff/handoff-types.ts";
import { handleMessage } from "../../src/teams/handlers/bot-command.ts";
import { handleCardAction } from "../../src/teams/handlers/card-action.ts";
import { cardOf, seenOnCard } from "./teams-test-kit.ts";

const LEAD_ID = "0193a7c2-0000-7000-8000-000000000001";
const view: LeadCardView = {
  leadId: LEAD_ID,
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  company: "Analytical Engines",
  source: "hubspot",
  teamName: "EMEA Sales",
  routingReason: "rule `emea-all`: region=EMEA",
  status: "offered",
  timeZone: "Europe/London",
};
const offeredCard = renderLeadCard(view);
const acceptedView: LeadCardView = {
  ...view,
  status: "accepted",
  owner: { name: "Ada Lovelace", at: new Date("2026-11-24T09:30:00Z") },
};
const location = { conversation: "teams:19:abc@thread.tacv2", messageRef: "activity-1" };
const MINIMAL_CONFIG = `
teams:
  - { id: emea, name: EMEA Sales, channel: "teams:19:abc@thread.tacv2", reps: [{ id: ada, name: Ada Lovelace }] }
routing: { fallbackTeam: emea }`;
const say = (text: string): ChatMessage => ({ text, blocks: [{ type: "text", text }] });

type Call = [method: keyof HandoffService, ...args: unknown[]];

/** A HandoffService that records its calls and answers with what the test gives it. */
function fakeHandoff(answers: Partial<HandoffService>) {
  const calls: Call[] = [];
  const handoff = new Proxy({} as HandoffService, {
    get: (_target, method: keyof HandoffService) => {
      return async (...args: unknown[]) => {
        calls.push([method, ...args]);
        const answer = answers[method] as ((...a: unknown[]) => unknown) | undefined;
        if (method === "currentCard" && !answer) return { card: view, message: offeredCard, location };
        if (!answer) throw new Error(`unexpected handoff.${method}`);
        return answer(...args);
      };
    },
  });
  return { handoff, calls };
}

const noCommands: AnswerCommand = async () => {
  throw new Error("card actions never run commands");
};

const ADA = { id: "29:1aad-ada", aadObjectId: "aad-ada", name: "Ada Lovelace" };

async function click(
  handoff: HandoffService,
  verb: string,
  data: Record<string, unknown>,
  from: { id: string; aadObjectId?: string; name?: string } = ADA,
) {
  const context = { activity: { type: "invoke", name: "adaptiveCard/action", from } } as unknown as TurnContext;
  const deps = { handoff, answerCommand: noCommands, prisma: {} as PrismaClient, logger: pino({ level: "silent" }) };
  const response = await handleCardAction(deps, context, {
    action: { type: "Action.Execute", id: "", verb, data },
    authentication: undefined as never,
    state: "",
  });
  return {
    response,
    seen: response.type === "application/vnd.microsoft.card.adaptive" ? seenOnCard(response.value) : "",
  };
}

const ACTOR: Actor = { user: "teams:aad-ada", displayName: "Ada Lovelace" };

describe("adaptiveCard/action", () => {
  it("lead_accept accepts as the Teams user and answers with the updated card", async () => {
    const { handoff, calls } = fakeHandoff({
      acceptLead: async () => ({
        outcome: "accepted",
        card: acceptedView,
        message: renderLeadCard(acceptedView),
        location,
        ownerName: "Ada Lovelace",
      }),
    });
    const { response, seen } = await click(handoff, "lead_accept", { leadId: LEAD_ID });
    expect(calls).toEqual([["acceptLead", LEAD_ID, ACTOR]]);
    expect(response).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(seen).toContain("**Accepted by Ada Lovelace**");
  });

  it("a decided lead: the card as it stands with why on top", async () => {
    const { handoff } = fakeHandoff({
      acceptLead: async () => ({
        outcome: "already_decided",
        card: acceptedView,
        message: renderLeadCard(acceptedView),
        reply: say("This lead was already accepted by Ada Lovelace."),
      }),
    });
    const { seen } = await click(handoff, "lead_accept", { leadId: LEAD_ID });
    expect(seen.split("\n")[0]).toBe("This lead was already accepted by Ada Lovelace.");
    expect(seen).toContain("**Accepted by Ada Lovelace**");
  });

  it("a refusal shows on top of the current card, which keeps its buttons", async () => {
    const { handoff, calls } = fakeHandoff({
      acceptLead: async () => ({ outcome: "refused", reply: say("Only EMEA Sales can take this lead.") }),
    });
    const { seen } = await click(handoff, "lead_accept", { leadId: LEAD_ID });
    expect(seen.split("\n")[0]).toBe("Only EMEA Sales can take this lead.");
    expect(seen).toContain("[button: Accept]");
    expect(calls.map(([method]) => method)).toEqual(["acceptLead", "currentCard"]);
  });

  it("the first Reject shows the form without calling rejectLead", async () => {
    const { handoff, calls } = fakeHandoff({});
    const { seen } = await click(handoff, "lead_reject", { leadId: LEAD_ID });
    expect(seen).toContain("[Reason]");
    expect(seen).toContain("[button: Reject lead]");
    expect(calls.map(([method]) => method)).toEqual(["currentCard"]);
  });

  it("submitting the form rejects with the reason and the comment", async () => {
    const rejectedView: LeadCardView = {
      ...view,
      status: "rejected",
      rejection: { byName: "Ada Lovelace", at: new Date("2026-11-24T09:30:00Z"), reason: "duplicate" },
    };
    const { handoff, calls } = fakeHandoff({
      rejectLead: async () => ({
        outcome: "rejected",
        card: rejectedView,
        message: renderLeadCard(rejectedView),
        location,
      }),
    });
    const { seen } = await click(handoff, "lead_reject", {
      leadId: LEAD_ID,
      reason: "duplicate",
      comment: "  Same as last week  ",
    });
    expect(calls).toEqual([["rejectLead", LEAD_ID, ACTOR, { reason: "duplicate", comment: "Same as last week" }]]);
    expect(seen).toContain("**Rejected by Ada Lovelace**");
  });

  it("an invalid submission returns the form with the handoff's message and what was entered", async () => {
    const { handoff } = fakeHandoff({
      rejectLead: async () => ({ outcome: "invalid", errors: { comment: "Add a comment for “Other”." } }),
    });
    const { response, seen } = await click(handoff, "lead_reject", { leadId: LEAD_ID, reason: "other", comment: "" });
    expect(seen).toContain("Add a comment for “Other”.");
    const reason = (response.value as { body: { id?: string; value?: string }[] }).body.find(
      (element) => element.id === "reason",
    );
    expect(reason?.value).toBe("other");
  });

  it("a reason that is not on the list never reaches the handoff", async () => {
    const { handoff, calls } = fakeHandoff({});
    const { seen } = await click(handoff, "lead_reject", { leadId: LEAD_ID, reason: "too_busy" });
    expect(seen).toContain("Choose one of the listed reasons.");
    expect(calls.map(([method]) => method)).toEqual(["currentCard"]);
  });

  it.each([
    ["lead_first_touch", "first_touch"],
    ["lead_mark_sql", "sql"],
    ["lead_disqualify", "disqualified"],
  ])("%s records the step %s", async (verb, step) => {
    const { handoff, calls } = fakeHandoff({
      recordStep: async () => ({
        outcome: "recorded",
        card: acceptedView,
        message: renderLeadCard(acceptedView),
        location,
      }),
    });
    await click(handoff, verb, { leadId: LEAD_ID });
    expect(calls).toEqual([["recordStep", LEAD_ID, ACTOR, step]]);
  });

  it("a user Teams does not identify, or a card without its lead, changes nothing", async () => {
    const { handoff, calls } = fakeHandoff({});
    const anonymous = await click(handoff, "lead_accept", { leadId: LEAD_ID }, { id: "29:1guest" });
    expect(anonymous.response).toMatchObject({ type: "application/vnd.microsoft.activity.message" });
    expect(String(anonymous.response.value)).toMatch(/could not tell who you are/);
    const orphan = await click(handoff, "lead_accept", {});
    expect(String(orphan.response.value)).toMatch(/missing its lead/);
    expect(calls).toEqual([]);
  });

  it("a failing handoff shows a person-readable notice on the card, never a stack trace", async () => {
    const { handoff } = fakeHandoff({
      acceptLead: async () => {
        throw new AppError("UNAVAILABLE", {
          message: "database down",
          userMessage: "Baton cannot reach its database right now. Try again in a minute.",
        });
      },
    });
    const { seen } = await click(handoff, "lead_accept", { leadId: LEAD_ID });
    expect(seen.split("\n")[0]).toBe("Baton cannot reach its database right now. Try again in a minute.");
  });
});

describe("messages to the bot", () => {
  const answerer = (config = MINIMAL_CONFIG) =>
    createCommandAnswerer({
      // help, reload and unknown words need no database; `lead` gets a fake answerer below.
      prisma: {} as PrismaClient,
      batonConfig: () => parseBatonConfig(config),
      reloadConfig: async (actor) => ({ ok: true, message: say(`reloaded for ${actor}`) }),
      logger: pino({ level: "silent" }),
    });

  async function message(text: string, answerCommand: AnswerCommand, aadObjectId = "aad-ada") {
    const sent: Record<string, unknown>[] = [];
    const activity = {
      type: "message",
      text,
      from: { id: "29:ada", aadObjectId, name: "Ada Lovelace" },
      recipient: { id: "28:app", name: "Baton" },
      entities: [{ type: "mention", text: "<at>Baton</at>", mentioned: { id: "28:app", name: "Baton" } }],
    };
    const context = {
      activity,
      sendActivity: async (reply: Record<string, unknown>) => {
        sent.push(reply);
        return { id: "reply-1" };
      },
    } as unknown as TurnContext;
    await handleMessage(
      { handoff: {} as HandoffService, answerCommand, prisma: {} as PrismaClient, logger: pino({ level: "silent" }) },
      context,
    );
    expect(sent).toHaveLength(1);
    return { summary: sent[0].summary, seen: seenOnCard(cardOf(sent[0])) };
  }

  it("hands `lead <email>` after the @mention (and Teams' &nbsp;) to the shared commands, as the sender", async () => {
    const calls: [string, string][] = [];
    const fake: AnswerCommand = async (text, actor) => {
      calls.push([text, actor]);
      return say("Ada Lovelace: accepted by Ada");
    };
    expect(await message("<at>Baton</at>&nbsp;lead ada@example.com", fake)).toEqual({
      summary: "Ada Lovelace: accepted by Ada",
      seen: "Ada Lovelace: accepted by Ada",
    });
    expect(calls).toEqual([["lead ada@example.com", "teams:aad-ada"]]);
  });

  it("answers help with the help every platform shows, and an unknown word as every platform does", async () => {
    const help = await message("<at>Baton</at> help", answerer());
    expect(help.summary).toBe(helpMessage().text);
    expect(help.seen).toContain("lead <email or lead id>");
    expect((await message("<at>Baton</at> dance", answerer())).summary).toBe(unknownCommandReply("dance").text);
  });

  it("reload works on Teams for admins named in the configuration, and only for them", async () => {
    const withAdmin = `${MINIMAL_CONFIG}\nadmins: ["teams:aad-boss"]`;
    expect((await message("reload", answerer(withAdmin), "aad-boss")).summary).toBe("reloaded for teams:aad-boss");
    expect((await message("reload", answerer(withAdmin), "aad-ada")).summary).toBe(
      "Only Baton admins can run reload (see admins in the configuration file).",
    );
  });
});
