/**
 * The agenda of the seeded quarter as Slack (Block Kit) and Teams (Adaptive Card) show it: snapshots of the JSON,
 * and the text a person reads, with the action items as tick boxes (Slack checkboxes, Teams Action.Execute).
 */
import { expect, it } from "vitest";
import { loadAgendaFacts } from "../../src/agenda/load-agenda-facts.ts";
import { agendaMessage } from "../../src/domain/agenda/agenda-message.ts";
import { buildAgenda } from "../../src/domain/agenda/build-agenda.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { readSlackBlocks, renderBlocks } from "../../src/slack/render-blocks.ts";
import { renderAdaptiveCard } from "../../src/teams/render-adaptive-card.ts";
import { slackTestConfig } from "../slack/slack-test-kit.ts";
import { createTestDatabase } from "../support/databases.ts";
import { AGENDA_NOW, AGENDA_WEEK, seedAgendaQuarter } from "./agenda-quarter-seed.ts";

it("renders the seeded quarter's agenda on Slack and Teams", async () => {
  const db = await createTestDatabase("pglite");
  try {
    const config = slackTestConfig();
    await syncConfigToDatabase(db.prisma, config);
    await seedAgendaQuarter(db.prisma, { faults: true });
    await db.prisma.actionItem.createMany({
      data: [
        {
          id: "0190a000-0000-7000-8000-000000000001",
          scope: "joint",
          text: "Add a routing rule for EMEA leads from the Nordics",
          owner: "Grace Hopper",
          dueAt: new Date("2026-11-27T17:00:00Z"),
          createdAt: new Date("2026-11-16T10:00:00Z"),
        },
        {
          id: "0190a000-0000-7000-8000-000000000002",
          scope: "joint",
          text: "Share the Q4 webinar list with sales",
          owner: "Demand Gen",
          status: "done",
          doneAt: new Date("2026-11-18T12:00:00Z"),
          doneBy: "slack:U000ADA",
          createdAt: new Date("2026-11-16T10:05:00Z"),
        },
      ],
    });
    const facts = await loadAgendaFacts(db.prisma, config, { scope: "joint", team: null }, AGENDA_WEEK);
    const message = agendaMessage(buildAgenda(facts, AGENDA_NOW), {
      chart: { url: "data:image/png;base64,iVBORw0KGgo=", alt: "Funnel chart" },
    });

    const slack = renderBlocks(message);
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    expect(slack).toMatchSnapshot("slack");
    const read = readSlackBlocks(slack.blocks);
    expect(read).toContain("Test Corp sales & marketing: weekly agenda, week of 2026-11-23");
    expect(read).toMatch(/\*\d\. Globex: 400,000 USD \(negotiation\)\*/);
    expect(read).toContain("EMEA accept → first touch slowed down");
    expect(read).toContain("[ ] Add a routing rule for EMEA leads from the Nordics (Grace Hopper, due 2026-11-27)");
    expect(read).toContain("[x] Share the Q4 webinar list with sales (Demand Gen)");
    const checkboxes = slack.blocks.flatMap((block) =>
      block.type === "section" && block.accessory ? [block.accessory] : [],
    );
    expect(checkboxes).toEqual([
      expect.objectContaining({
        type: "checkboxes",
        action_id: "agenda_action_done",
        options: [
          expect.objectContaining({ value: "0190a000-0000-7000-8000-000000000001" }),
          expect.objectContaining({ value: "0190a000-0000-7000-8000-000000000002" }),
        ],
        initial_options: [expect.objectContaining({ value: "0190a000-0000-7000-8000-000000000002" })],
      }),
    ]);

    const card = renderAdaptiveCard(message);
    expect(card).toMatchSnapshot("teams");
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"Image","url":"data:image/png;base64,iVBORw0KGgo="');
    const executes = [...json.matchAll(/"verb":"agenda_action_done","data":\{"actionItemId":"([^"]+)"\}/g)].map(
      (m) => m[1],
    );
    // One button per open item; the done one is shown ticked, without a button.
    expect(executes).toEqual(["0190a000-0000-7000-8000-000000000001"]);
    expect(json).toContain("✅ ~~Share the Q4 webinar list with sales~~ (Demand Gen)");
  } finally {
    await db.close();
  }
});
