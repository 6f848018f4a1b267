/**
 * The agenda a seeded quarter produces, read from a real database: with the last week's injected faults it names
 * the EMEA accept→first-touch slowdown, the wrong-territory cluster, the top three deals and the breaching rep, in
 * at most ten items; the same quarter without the faults reports no slowdown.
 */
import { expect, it } from "vitest";
import { loadAgendaFacts } from "../../src/agenda/load-agenda-facts.ts";
import { buildAgenda, MAX_DISCUSSION_ITEMS } from "../../src/domain/agenda/build-agenda.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { slackTestConfig } from "../slack/slack-test-kit.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { AGENDA_NOW, AGENDA_WEEK, seedAgendaQuarter } from "./agenda-quarter-seed.ts";

describeEachDatabase("the agenda of a seeded quarter", (database) => {
  const config = slackTestConfig();

  it("names the injected slowdown, the reject cluster, the top 3 deals and the breaching rep, in ≤ 10 items", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, config);
    const seeded = await seedAgendaQuarter(db.prisma, { faults: true });
    const facts = await loadAgendaFacts(db.prisma, config, { scope: "joint", team: null }, AGENDA_WEEK);
    const agenda = buildAgenda(facts, AGENDA_NOW);

    expect(agenda.items.length).toBeLessThanOrEqual(MAX_DISCUSSION_ITEMS);
    const slowdowns = agenda.items.filter((item) => item.kind === "slowdown");
    expect(slowdowns.map((item) => item.title)).toEqual([
      expect.stringMatching(/^EMEA accept → first touch slowed down/),
    ]);
    // The extra rejects may also show as a lower EMEA acceptance: that is the cluster, not another stage.
    for (const drop of agenda.items.filter((item) => item.kind === "conversion-drop")) {
      expect(drop.title).toMatch(/^EMEA MQL → accept conversion fell/);
    }
    expect(slowdowns[0].evidence).toMatch(
      /median .* last week vs .* over the 4 weeks before \(n = \d+ vs \d+, Mann–Whitney p/,
    );

    const cluster = agenda.items.find((item) => item.kind === "reject-cluster");
    expect(cluster?.title).toMatch(/^\d+ % of EMEA rejects: wrong territory$/);
    expect(cluster?.leadIds).toEqual(expect.arrayContaining(seeded.clusterLeadIds));

    const deals = agenda.items.filter((item) => item.kind === "top-deal");
    expect(deals.map((item) => item.title.split(":")[0])).toEqual(["Globex", "Initech", "Umbrella"]);
    expect(deals.map((item) => item.owner)).toEqual(["Ada Lovelace", "Grace Hopper", "Charles Babbage"]);

    const breaches = agenda.items.filter((item) => item.kind === "sla-breaches");
    expect(breaches.map((item) => item.title)).toEqual(["Charles Babbage: 5 SLA breaches last week"]);
    expect(breaches[0].owner).toBe("Charles Babbage");

    for (const item of agenda.items) {
      expect(item.evidence).toMatch(/\d/);
    }
    expect(agenda.items.find((item) => item.kind === "top-deal")?.link).toMatch(
      /^https:\/\/slack\.com\/archives\/C0EMEA\/p1700000000\d{6}$/,
    );
  });

  it("reports no slowdown for the same quarter without injected faults", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, config);
    await seedAgendaQuarter(db.prisma, { faults: false });
    const facts = await loadAgendaFacts(db.prisma, config, { scope: "joint", team: null }, AGENDA_WEEK);
    const agenda = buildAgenda(facts, AGENDA_NOW);
    expect(agenda.items.filter((item) => item.kind === "slowdown" || item.kind === "conversion-drop")).toEqual([]);
    expect(agenda.items.filter((item) => item.kind === "reject-cluster" || item.kind === "sla-breaches")).toEqual([]);
    expect(agenda.items.filter((item) => item.kind === "top-deal").map((item) => item.title.split(":")[0])).toEqual([
      "Globex",
      "Initech",
      "Umbrella",
    ]);
  });
});
