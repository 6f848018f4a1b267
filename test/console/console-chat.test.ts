import { describe, expect, it } from "vitest";
import { ConsoleChat, renderConsoleMessage } from "../../src/console/console-chat.ts";
import { type LeadCardView, renderLeadCard } from "../../src/domain/lead-card.ts";

const offered: LeadCardView = {
  leadId: "lead-42",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  company: "Analytical Engines",
  title: "CTO",
  country: "GB",
  region: "EMEA",
  employees: 250,
  score: 87,
  source: "hubspot",
  campaign: "Q4 webinar",
  notes: "Asked for a demo",
  teamName: "EMEA Sales",
  routingReason: "rule `emea`: region=EMEA",
  suggestedRepName: "Grace Hopper",
  status: "offered",
  timeZone: "Europe/London",
};

function consoleWithOutput() {
  const output: string[] = [];
  const chat = new ConsoleChat({ write: (text) => output.push(text) });
  return { chat, output: () => output.join("") };
}

describe("renderConsoleMessage", () => {
  it("shows a lead card as readable text with its buttons and the commands to type", () => {
    const text = renderConsoleMessage(renderLeadCard(offered));
    const lines = text.split("\n");
    expect(lines[0]).toBe("NEW LEAD: ADA LOVELACE · ANALYTICAL ENGINES");
    expect(lines).toContain("  Title: CTO");
    expect(lines).toContain("  Email: ada@example.com");
    expect(lines).toContain("  Size: 250 employees");
    expect(lines).toContain("  Source: hubspot · Q4 webinar");
    expect(lines).toContain("“Asked for a demo”");
    expect(lines).toContain("[ Accept ]  [ Reject ]");
    expect(text).toContain("accept lead-42 as <rep>");
    expect(text).toContain("reject lead-42 as <rep> <reason>");
    // Light markdown is for chat clients; the terminal shows plain words.
    expect(text).not.toMatch(/(^|\s)[*_]\S/m);
  });

  it("shows who accepted a decided card, and no Accept/Reject any more", () => {
    const text = renderConsoleMessage(
      renderLeadCard({
        ...offered,
        status: "accepted",
        owner: { name: "Grace Hopper", at: new Date("2026-11-25T10:00:00Z") },
      }),
    );
    expect(text).toContain("✅ Accepted by Grace Hopper");
    expect(text).not.toContain("[ Accept ]");
    expect(text).toContain("[ Log first touch ]");
  });

  it("falls back to the plain text when a message has no blocks", () => {
    expect(renderConsoleMessage({ text: "Nothing to see", blocks: [] })).toBe("Nothing to see");
  });
});

describe("ConsoleChat", () => {
  it("prints posts, updates, direct and private messages under a heading that says where they went", async () => {
    const { chat, output } = consoleWithOutput();
    const card = renderLeadCard(offered);
    const ref = await chat.post("console:emea-sales", card);
    expect(ref).toEqual({ conversation: "console:emea-sales", messageId: "1" });
    await chat.update(ref, { text: "Accepted", blocks: [{ type: "text", text: "*Accepted* by Grace" }] });
    const direct = await chat.sendDirect("console:grace", { text: "You own it", blocks: [] });
    await chat.replyPrivately("console:emea-sales", "console:ada", { text: "Only you", blocks: [] });

    const printed = output();
    expect(printed).toContain("📣 console:emea-sales  #1");
    expect(printed).toContain("NEW LEAD: ADA LOVELACE");
    expect(printed).toContain("✏️  console:emea-sales  #1 (updated)\n");
    expect(printed).toContain("Accepted by Grace");
    expect(printed).toContain("✉️  direct message to console:grace");
    expect(printed).toContain("🔒 only console:ada sees this in console:emea-sales");
    expect(direct.messageId).not.toBe(ref.messageId);

    expect(chat.transcript.map((entry) => [entry.kind, entry.ref.conversation])).toEqual([
      ["post", "console:emea-sales"],
      ["update", "console:emea-sales"],
      ["direct", "console:grace"],
      ["private", "console:emea-sales"],
    ]);
    expect(chat.transcript[1].text).toBe("Accepted by Grace");
  });

  it("posts a threaded reply under the message it answers", async () => {
    const { chat, output } = consoleWithOutput();
    const parent = await chat.post("console:emea-sales", { text: "card", blocks: [] });
    await chat.post("console:emea-sales", { text: "reply", blocks: [] }, { threadOf: parent });
    expect(output()).toContain(`console:emea-sales (thread of #${parent.messageId})`);
  });
});
