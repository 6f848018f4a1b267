import { describe, expect, it } from "vitest";
import { ConsoleChat } from "../../src/console/console-chat.ts";
import type { ChatMessage } from "../../src/domain/chat-message.ts";
import { PlaygroundFeed } from "../../src/playground/playground-feed.ts";
import { renderFeedEntry } from "../../src/playground/render-feed-entry.ts";
import { mrkdwnToHtml, renderSlackHtml } from "../../src/playground/render-slack-html.ts";
import { renderBlocks } from "../../src/slack/render-blocks.ts";
import { renderAdaptiveCard } from "../../src/teams/render-adaptive-card.ts";

const say = (text: string): ChatMessage => ({ text, blocks: [{ type: "text", text }] });
const at = new Date("2026-11-25T10:15:00Z");

describe("PlaygroundFeed", () => {
  it("records what a port delivers, keeps the terminal output, and tells listeners", async () => {
    const printed: string[] = [];
    const feed = new PlaygroundFeed(() => at);
    const heard: string[] = [];
    feed.subscribe((entry) => heard.push(`${entry.kind} ${entry.ref.conversation} #${entry.ref.messageId}`));
    const port = feed.observe(new ConsoleChat({ write: (text) => printed.push(text) }));

    const card = await port.post("console:emea-sales", say("New lead"));
    await port.post("console:emea-sales", say("A reply"), { threadOf: card });
    await port.sendDirect("console:ada", say("You own it"));
    await port.replyPrivately("console:emea-sales", "console:grace", say("Not your team"));
    await port.update(card, say("Accepted"));

    expect(heard).toEqual([
      "post console:emea-sales #1",
      "post console:emea-sales #2",
      "direct console:ada #3",
      "private console:emea-sales #private-1",
      "post console:emea-sales #1",
    ]);
    expect(printed.join("")).toContain("Accepted");
    const entries = feed.all();
    expect(entries.map((entry) => entry.message.text)).toEqual(["Accepted", "A reply", "You own it", "Not your team"]);
    expect(entries[0].updatedAt).toEqual(at);
    expect(entries[1].threadOf).toBe("1");
    expect(entries[3].privateTo).toBe("console:grace");
    // A page that saw up to the direct message catches up with the private reply and the update, in that order.
    expect(feed.changedSince(3).map((entry) => entry.message.text)).toEqual(["Not your team", "Accepted"]);
  });

  it("shows an update of a message it never saw (posted before a restart) as a message of its own", () => {
    const feed = new PlaygroundFeed(() => at);
    feed.recordUpdate({ conversation: "console:emea-sales", messageId: "7" }, say("Accepted"));
    expect(feed.all()).toHaveLength(1);
  });
});

describe("the Slack view", () => {
  it("formats Slack's mrkdwn and never lets lead data become markup", () => {
    const message: ChatMessage = {
      text: "x",
      blocks: [
        { type: "header", text: "New lead: <img src=x onerror=alert(1)>" },
        { type: "text", text: '*Accepted by Ada* _today_ `lead 1` "quoted" <script>alert(1)</script>' },
        {
          type: "actions",
          actions: [{ id: "lead_accept", label: "Accept", value: 'x" onclick="alert(1)', style: "primary" }],
        },
      ],
    };
    const out = renderSlackHtml(renderBlocks(message)).value;
    expect(out).not.toMatch(/<img|<script|" onclick/);
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(out).toContain("<strong>Accepted by Ada</strong> <em>today</em> <code>lead 1</code> &quot;quoted&quot;");
    expect(out).toContain('data-value="x&quot; onclick=&quot;alert(1)"');
    expect(out).toContain('class="sk-button sk-button-primary" data-action="lead_accept"');
  });

  it("leaves underscores inside words alone", () => {
    expect(mrkdwnToHtml("not_a_fit and _this_")).toBe("not_a_fit and <em>this</em>");
  });
});

describe("a feed entry", () => {
  it("carries the Teams adapter's card for the page to draw, next to the Slack rendering", () => {
    const message: ChatMessage = {
      text: "New lead",
      blocks: [
        { type: "header", text: "New lead: Ada" },
        { type: "actions", actions: [{ id: "lead_accept", label: "Accept", value: "lead-1" }] },
      ],
    };
    const feed = new PlaygroundFeed(() => at);
    const entry = feed.record({ ref: { conversation: "console:emea-sales", messageId: "1" }, kind: "post", message });
    const out = renderFeedEntry(entry, (id) => ({ id, label: id, kind: "channel", purpose: id })).value;
    const card = out.match(/data-card="([^"]*)"/)?.[1] ?? "";
    const decoded = card
      .replaceAll("&quot;", '"')
      .replaceAll("&#39;", "'")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&");
    expect(JSON.parse(decoded)).toEqual(renderAdaptiveCard(message));
    expect(out).toContain('data-lead-id="lead-1"');
  });
});
