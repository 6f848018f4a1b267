import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/domain/chat-message.ts";
import { type LeadCardView, renderLeadCard } from "../../src/domain/lead-card.ts";
import { readSlackBlocks, renderBlocks } from "../../src/slack/render-blocks.ts";

const offered: LeadCardView = {
  leadId: "0193a7c2-0000-7000-8000-000000000001",
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

describe("renderBlocks", () => {
  it("renders an offered lead card as a person reads it in Slack", () => {
    const { text, blocks } = renderBlocks(renderLeadCard(offered));

    expect(readSlackBlocks(blocks)).toBe(
      [
        "New lead: Ada Lovelace · Analytical Engines",
        "*Title*: CTO",
        "*Email*: ada@example.com",
        "*Phone*: +44 20 7946 0000",
        "*Country*: GB · EMEA",
        "*Size*: 250 employees",
        "*Industry*: Software",
        "*Score*: 87",
        "*Source*: hubspot · Q4 webinar · paid-search",
        "_“Asked for a demo”_",
        "Routed to EMEA Sales: rule `emea-mid-market`: region=EMEA, employees 250",
        "Suggested owner: Charles Babbage (anyone in the team can take it)",
        "[Accept] [Reject]",
      ].join("\n"),
    );
    // The notification text is the card's own plain-text version, carried through unchanged.
    expect(text).toBe(renderLeadCard(offered).text);
    expect(text).toContain("Ada Lovelace · Analytical Engines");
  });

  it("gives the buttons the contract's action ids, the lead id as value, and their styles", () => {
    const { blocks } = renderBlocks(renderLeadCard(offered));
    expect(blocks.at(-1)).toEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: "lead_accept",
          text: { type: "plain_text", text: "Accept", emoji: true },
          value: offered.leadId,
          style: "primary",
        },
        {
          type: "button",
          action_id: "lead_reject",
          text: { type: "plain_text", text: "Reject", emoji: true },
          value: offered.leadId,
          style: "danger",
        },
      ],
    });
    expect(blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "New lead: Ada Lovelace · Analytical Engines", emoji: true },
    });
  });

  it("shows the owner and the next steps once accepted", () => {
    const accepted = renderLeadCard({
      ...offered,
      status: "accepted",
      owner: { name: "Ada Lovelace", at: new Date("2026-11-24T10:05:00Z") },
    });
    const shown = readSlackBlocks(renderBlocks(accepted).blocks);
    expect(shown).toContain("✅ *Accepted by Ada Lovelace* (Tue 24 Nov, 10:05 GMT)");
    expect(shown.split("\n").at(-1)).toBe("[Log first touch] [Mark SQL] [Disqualify]");
  });

  it("escapes &, < and > so lead data cannot become links or @-mentions", () => {
    const { blocks } = renderBlocks({
      text: "x",
      blocks: [
        { type: "fields", fields: [{ label: "Company", value: "<!channel> Smith & Sons <https://evil.example>" }] },
      ],
    });
    expect(blocks[0]).toEqual({
      type: "section",
      fields: [{ type: "mrkdwn", text: "*Company*\n&lt;!channel&gt; Smith &amp; Sons &lt;https://evil.example&gt;" }],
    });
  });

  it("splits more than 10 fields over several sections, and keeps the plain-text fallback", () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: String(i) }));
    const { text, blocks } = renderBlocks({ text: "Weekly numbers", blocks: [{ type: "fields", fields }] });
    expect(blocks.map((block) => (block.type === "section" ? block.fields?.length : 0))).toEqual([10, 10, 3]);
    expect(text).toBe("Weekly numbers");
  });

  it("renders text, context and divider blocks; drops empty ones", () => {
    const message: ChatMessage = {
      text: "fallback",
      blocks: [
        { type: "text", text: "*Bold* and _italic_" },
        { type: "divider" },
        { type: "context", text: "small print" },
        { type: "text", text: "  " },
      ],
    };
    expect(renderBlocks(message).blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "*Bold* and _italic_" } },
      { type: "divider" },
      { type: "context", elements: [{ type: "mrkdwn", text: "small print" }] },
    ]);
  });

  it("keeps within Slack's limits: 150-character headers, 75-character labels, 50 blocks with the buttons kept", () => {
    const long = "x".repeat(400);
    const message: ChatMessage = {
      text: long,
      blocks: [
        { type: "header", text: long },
        ...Array.from({ length: 60 }, (_, i) => ({ type: "text" as const, text: `line ${i}` })),
        { type: "actions", actions: [{ id: "lead_accept", label: long, value: "L1" }] },
      ],
    };
    const { blocks } = renderBlocks(message);
    expect(blocks).toHaveLength(50);
    const header = blocks[0];
    expect(header.type === "header" && header.text.text.length).toBe(150);
    const actions = blocks.at(-1);
    expect(actions?.type === "actions" && actions.elements[0].text.text.length).toBe(75);
  });
});
