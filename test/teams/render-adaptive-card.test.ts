import { describe, expect, it } from "vitest";
import { type LeadCardView, REJECT_REASONS, renderLeadCard } from "../../src/domain/lead-card.ts";
import {
  LEAD_REFRESH_VERB,
  renderAdaptiveCard,
  renderRejectForm,
  toCardMarkdown,
} from "../../src/teams/render-adaptive-card.ts";
import { seenOnCard } from "./teams-test-kit.ts";

const LEAD_ID = "0193a7c2-0000-7000-8000-000000000001";

const offered: LeadCardView = {
  leadId: LEAD_ID,
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  company: "Analytical Engines",
  title: "CTO",
  phone: "+44 20 7946 0000",
  country: "GB",
  region: "EMEA",
  employees: 250,
  industry: "Software",
  score: 87,
  source: "hubspot",
  campaign: "Q4 webinar",
  channel: "paid-search",
  notes: "Asked for a demo",
  teamName: "EMEA Sales",
  routingReason: "rule `emea-mid-market`: region=EMEA, employees 250",
  suggestedRepName: "Charles Babbage",
  status: "offered",
  timeZone: "Europe/London",
};

const accepted: LeadCardView = {
  ...offered,
  status: "accepted",
  owner: { name: "Ada Lovelace", at: new Date("2026-11-24T09:30:00Z") },
};

describe("renderAdaptiveCard", () => {
  it("renders an offered lead card as a person reads it in Teams", () => {
    const card = renderAdaptiveCard(renderLeadCard(offered));
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
    expect(seenOnCard(card)).toBe(
      [
        "New lead: Ada Lovelace · Analytical Engines",
        "Title: CTO",
        "Email: ada@example.com",
        "Phone: +44 20 7946 0000",
        "Country: GB · EMEA",
        "Size: 250 employees",
        "Industry: Software",
        "Score: 87",
        "Source: hubspot · Q4 webinar · paid-search",
        "_“Asked for a demo”_",
        "Routed to EMEA Sales: rule emea-mid-market: region=EMEA, employees 250",
        "Suggested owner: Charles Babbage (anyone in the team can take it)",
        "[button: Accept]",
        "[button: Reject]",
      ].join("\n"),
    );
    // Notifications and clients without cards get the plain text.
    expect(card.fallbackText).toBe(renderLeadCard(offered).text);
  });

  it("styles the header, the facts and the routing context as Teams shows them", () => {
    const [header, facts, , context] = renderAdaptiveCard(renderLeadCard(offered)).body;
    expect(header).toMatchObject({ type: "TextBlock", weight: "bolder", size: "large", style: "heading" });
    expect(facts).toMatchObject({ type: "FactSet" });
    expect(context).toMatchObject({ type: "TextBlock", size: "small", isSubtle: true });
  });

  it("makes the buttons Action.Execute with the contract's verbs and the lead id as data", () => {
    expect(renderAdaptiveCard(renderLeadCard(offered)).actions).toEqual([
      { type: "Action.Execute", title: "Accept", verb: "lead_accept", data: { leadId: LEAD_ID }, style: "positive" },
      { type: "Action.Execute", title: "Reject", verb: "lead_reject", data: { leadId: LEAD_ID }, style: "destructive" },
    ]);
  });

  it("asks Teams to refresh a lead card for whoever views it, so nobody acts on a stale card", () => {
    expect(renderAdaptiveCard(renderLeadCard(offered)).refresh).toEqual({
      action: { type: "Action.Execute", title: "Refresh", verb: LEAD_REFRESH_VERB, data: { leadId: LEAD_ID } },
    });
    expect(renderAdaptiveCard({ text: "Hi", blocks: [{ type: "text", text: "Hi" }] }).refresh).toBeUndefined();
  });

  it("shows an accepted card with the owner in bold and the next steps", () => {
    const seen = seenOnCard(renderAdaptiveCard(renderLeadCard(accepted)));
    expect(seen.split("\n")[0]).toBe("Lead: Ada Lovelace · Analytical Engines");
    expect(seen).toMatch(/✅ \*\*Accepted by Ada Lovelace\*\* \(Tue 24 Nov, 09:30 GMT\)/);
    expect(seen).toContain("[button: Log first touch]\n[button: Mark SQL]\n[button: Disqualify]");
    expect(seen).not.toContain("[button: Accept]");
  });

  it("puts a notice first, in the attention colour, when a click did not go through", () => {
    const card = renderAdaptiveCard(renderLeadCard(accepted), { notice: "This lead was already accepted by Ada." });
    expect(card.body[0]).toMatchObject({ type: "TextBlock", color: "attention", text: expect.stringContaining("Ada") });
  });

  it("falls back to the plain text when a message has no blocks", () => {
    expect(seenOnCard(renderAdaptiveCard({ text: "Nothing to show", blocks: [] }))).toBe("Nothing to show");
  });
});

describe("toCardMarkdown", () => {
  it("turns Slack-style *bold* into **bold**, drops code marks and keeps line breaks visible", () => {
    expect(toCardMarkdown("*Accepted* by `ada`\nnext line")).toBe("**Accepted** by ada\n\nnext line");
    expect(toCardMarkdown("2 * 3 = 6, not *")).toBe("2 * 3 = 6, not *");
  });
});

describe("renderRejectForm", () => {
  const form = () => renderRejectForm(renderLeadCard(offered), { leadId: LEAD_ID });

  it("replaces the buttons with a reason, a comment and Reject lead / Cancel", () => {
    const seen = seenOnCard(form());
    expect(seen).toContain("Why are you rejecting this lead?\n[Reason]\n[Comment (required for “Other”)]");
    expect(seen).toMatch(/\[button: Reject lead\]\n\[button: Cancel\]$/);
    expect(seen).not.toContain("[button: Accept]");
  });

  it("offers the seven reasons, requires one, and takes a multi-line comment", () => {
    const body = form().body;
    const reason = body.find((element) => element.id === "reason");
    expect(reason).toMatchObject({ type: "Input.ChoiceSet", isRequired: true });
    expect(reason?.choices).toEqual(REJECT_REASONS.map(({ code, label }) => ({ title: label, value: code })));
    expect(reason?.choices).toHaveLength(7);
    expect(body.find((element) => element.id === "comment")).toMatchObject({ type: "Input.Text", isMultiline: true });
  });

  it("submits with verb lead_reject and the lead id; Cancel skips the required check", () => {
    const [submit, cancel] = form().actions ?? [];
    expect(submit).toMatchObject({ type: "Action.Execute", verb: "lead_reject", data: { leadId: LEAD_ID } });
    expect(cancel).toMatchObject({ verb: LEAD_REFRESH_VERB, associatedInputs: "none" });
  });

  it("is not refreshed away while someone is choosing a reason", () => {
    expect(form().refresh).toBeUndefined();
  });

  it("comes back with the error under its field and what was already entered", () => {
    const card = renderRejectForm(renderLeadCard(offered), {
      leadId: LEAD_ID,
      errors: { comment: "Add a comment when the reason is “Other”." },
      values: { reason: "other", comment: "" },
    });
    const seen = seenOnCard(card);
    expect(seen).toContain("[Comment (required for “Other”)]\nAdd a comment when the reason is “Other”.");
    expect(card.body.find((element) => element.id === "reason")).toMatchObject({ value: "other" });
  });
});
