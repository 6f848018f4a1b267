import { pino } from "pino";
import { expect, it } from "vitest";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import type { Database } from "../../src/db/database.ts";
import { UNREADABLE_TEXT } from "../../src/domain/handoff/handoff-messages.ts";
import { createHandoffService, type RerouteLead } from "../../src/handoff/handoff-service.ts";
import { describeLead } from "../../src/queries/describe-lead.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { describeEachDatabase } from "../support/databases.ts";

const config = parseBatonConfig(`
marketing: { channel: "console:marketing" }
teams:
  - id: emea
    name: EMEA Sales
    channel: "slack:CEMEA"
    timezone: Europe/London
    workingHours: { days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00" }
    reps:
      - { id: ada, name: Ada Lovelace, slackUserId: UADA }
      - { id: charles, name: Charles Babbage, slackUserId: UCHARLES }
  - id: na
    name: NA Sales
    channel: "slack:CNA"
    timezone: America/New_York
    reps:
      - { id: grace, name: Grace Hopper, slackUserId: UGRACE }
routing: { fallbackTeam: emea }
sla:
  defaultPolicy: standard
  policies: [{ id: standard, acceptWithin: 30m, firstTouchWithin: 4h }]
`);

// Tuesday 10:00 in London: inside working hours.
const NOW = new Date("2026-11-24T10:00:00Z");

async function seedOfferedLead(db: Database, email = "ada@analytical.example") {
  await syncConfigToDatabase(db.prisma, config);
  const lead = await db.prisma.lead.create({
    data: {
      source: "hubspot",
      externalId: `ext-${email}`,
      email,
      firstName: "Augusta",
      lastName: "King",
      company: "Analytical Engines",
      rawPayload: {},
      status: "offered",
      teamId: "emea",
    },
  });
  const decision = await db.prisma.routingDecision.create({
    data: { leadId: lead.id, teamId: "emea", ruleId: "emea-all", reason: "rule `emea-all`: region=EMEA" },
  });
  const offer = await db.prisma.offer.create({
    data: {
      leadId: lead.id,
      teamId: "emea",
      routingDecisionId: decision.id,
      conversation: "slack:CEMEA",
      messageRef: "1700000000.000100",
      postedAt: NOW,
    },
  });
  await db.prisma.slaClock.create({
    data: {
      leadId: lead.id,
      kind: "accept",
      policy: "standard",
      startedAt: NOW,
      dueAt: new Date(NOW.getTime() + 1800_000),
    },
  });
  return { lead, offer };
}

function service(db: Database, reroute?: RerouteLead, now = NOW) {
  return createHandoffService({
    prisma: db.prisma,
    batonConfig: () => config,
    logger: pino({ level: "silent" }),
    now: () => now,
    reroute,
  });
}

const ada = { user: "slack:UADA" };
const charles = { user: "slack:UCHARLES" };
const grace = { user: "slack:UGRACE" };

describeEachDatabase("handoff service", (database) => {
  it("accepts: owner set, accept clock met, first-touch clock started, card update and DM queued", async () => {
    const db = await database();
    const { lead, offer } = await seedOfferedLead(db);
    const result = await service(db).acceptLead(lead.id, ada);

    expect(result.outcome).toBe("accepted");
    if (result.outcome !== "accepted") return;
    expect(result.message.text).toContain("Accepted by Ada Lovelace");
    expect(result.message.blocks.find((b) => b.type === "actions")).toMatchObject({
      actions: [{ id: "lead_first_touch" }, { id: "lead_mark_sql" }, { id: "lead_disqualify" }],
    });

    const stored = await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(stored).toMatchObject({ status: "accepted", ownerRepId: "ada" });
    expect(await db.prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({
      status: "accepted",
      decidedByRepId: "ada",
      decidedByUser: "slack:UADA",
    });
    const clocks = await db.prisma.slaClock.findMany({ where: { leadId: lead.id }, orderBy: { kind: "asc" } });
    expect(clocks.map((c) => [c.kind, c.status])).toEqual([
      ["accept", "met"],
      ["first_touch", "running"],
    ]);
    // 4 business hours from Tuesday 10:00 London.
    expect(clocks[1].dueAt.toISOString()).toBe("2026-11-24T14:00:00.000Z");

    const outbox = await db.prisma.outboxMessage.findMany({ orderBy: { sequence: "asc" } });
    expect(outbox.map((m) => [m.kind, m.conversation])).toEqual([
      ["update", "slack:CEMEA"],
      ["direct", "slack:UADA"],
    ]);
    // The card is built from what the accept wrote, not read back: it must be the card the database now gives.
    const current = await service(db).currentCard(lead.id);
    expect(current?.message).toEqual(result.message);
    expect(outbox[0].payload).toMatchObject({ kind: "update", message: JSON.parse(JSON.stringify(result.message)) });
    expect(JSON.stringify(outbox[1].payload)).toContain("First touch due by");
    expect(await db.prisma.auditLog.count({ where: { leadId: lead.id, action: "lead.accepted" } })).toBe(1);
  });

  it("a late accept breaches the accept clock, with the minutes late; an on-time one meets it", async () => {
    const db = await database();
    const late = await seedOfferedLead(db, "late@analytical.example");
    const onTime = await seedOfferedLead(db, "ontime@analytical.example");
    // The accept clocks are due at 10:30; one accept comes at 10:42:30, the other at 10:30 sharp.
    await service(db, undefined, new Date("2026-11-24T10:42:30Z")).acceptLead(late.lead.id, ada);
    await service(db, undefined, new Date("2026-11-24T10:30:00Z")).acceptLead(onTime.lead.id, charles);

    const acceptClock = (leadId: string) => db.prisma.slaClock.findFirstOrThrow({ where: { leadId, kind: "accept" } });
    expect(await acceptClock(late.lead.id)).toMatchObject({
      status: "breached",
      breachedAt: new Date("2026-11-24T10:30:00Z"),
      stoppedAt: new Date("2026-11-24T10:42:30Z"),
      minutesLate: 13,
      metAt: null,
      nextActionAt: null,
    });
    expect(await acceptClock(onTime.lead.id)).toMatchObject({
      status: "met",
      metAt: new Date("2026-11-24T10:30:00Z"),
      stoppedAt: new Date("2026-11-24T10:30:00Z"),
      minutesLate: 0,
      breachedAt: null,
    });
    const audit = await db.prisma.auditLog.findFirstOrThrow({
      where: { leadId: late.lead.id, action: "lead.accepted" },
    });
    expect(audit.details).toMatchObject({ acceptSla: "breached", minutesLate: 13 });
  });

  it("refuses Mark SQL and Disqualify past SQL, from a stale card, without moving the lead back", async () => {
    const db = await database();
    const { lead } = await seedOfferedLead(db);
    const handoff = service(db);
    await handoff.acceptLead(lead.id, ada);
    // A CRM made it an opportunity meanwhile.
    await db.prisma.lead.update({ where: { id: lead.id }, data: { status: "opportunity" } });
    expect(await handoff.recordStep(lead.id, ada, "sql")).toMatchObject({
      outcome: "refused",
      reply: { text: "Can't mark the lead as SQL: the lead is already an opportunity." },
    });
    expect(await handoff.recordStep(lead.id, ada, "disqualified")).toMatchObject({
      outcome: "refused",
      reply: { text: "Can't disqualify the lead: the lead is past SQL: close it as lost." },
    });
    expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ status: "opportunity" });
    expect(await db.prisma.funnelEvent.count({ where: { leadId: lead.id } })).toBe(0);
  });

  it("refuses text PostgreSQL cannot store with a clear correction, not 'try again' (issue 14 probe)", async () => {
    const db = await database();
    const { lead } = await seedOfferedLead(db);
    const handoff = service(db);
    for (const comment of ["before\u0000after", "broken \ud800 unicode"]) {
      const result = await handoff.rejectLead(lead.id, ada, { reason: "other", comment });
      expect(result).toEqual({ outcome: "invalid", errors: { comment: UNREADABLE_TEXT } });
    }
    for (const query of ["ada\u0000@analytical.example", "\udc00"]) {
      expect((await describeLead(db.prisma, query)).text).toMatch(/^That contains characters Baton cannot read/);
    }
    expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ status: "offered" });
    expect(await db.prisma.outboxMessage.count()).toBe(0);
  });

  it("lets exactly one of two simultaneous accepts win", async () => {
    const db = await database();
    const { lead } = await seedOfferedLead(db);
    const handoff = service(db);
    const results = await Promise.all([handoff.acceptLead(lead.id, ada), handoff.acceptLead(lead.id, charles)]);
    const outcomes = results.map((r) => r.outcome).sort();
    expect(outcomes).toEqual(["accepted", "already_decided"]);
    const loser = results.find((r) => r.outcome === "already_decided");
    const winner = results.find((r) => r.outcome === "accepted");
    if (loser?.outcome !== "already_decided" || winner?.outcome !== "accepted") throw new Error("unreachable");
    expect(loser.reply.text).toBe(`This lead was already accepted by ${winner.ownerName}.`);
    expect(await db.prisma.slaClock.count({ where: { leadId: lead.id, kind: "first_touch" } })).toBe(1);
  });

  it("refuses people outside the team and unknown users, changing nothing", async () => {
    const db = await database();
    const { lead } = await seedOfferedLead(db);
    const handoff = service(db);
    const refused = await handoff.acceptLead(lead.id, grace);
    expect(refused).toMatchObject({ outcome: "refused" });
    if (refused.outcome === "refused") expect(refused.reply.text).toContain("Only members of EMEA Sales");
    expect(await handoff.acceptLead(lead.id, { user: "slack:UNOBODY" })).toMatchObject({ outcome: "refused" });
    expect(await handoff.acceptLead("00000000-0000-0000-0000-000000000000", ada)).toMatchObject({
      outcome: "not_found",
    });
    expect(await handoff.acceptLead("not-a-uuid", ada)).toMatchObject({ outcome: "not_found" });
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe("offered");
  });

  it("rejects with a reason: card shows it, marketing hears it, clocks stop", async () => {
    const db = await database();
    const { lead, offer } = await seedOfferedLead(db);
    const result = await service(db).rejectLead(lead.id, charles, { reason: "no_budget_or_timing", comment: "Q3" });
    expect(result.outcome).toBe("rejected");
    if (result.outcome !== "rejected") return;
    expect(result.message.text).toContain("Rejected by Charles Babbage");
    expect(result.message.text).toContain("No budget / timing");
    expect(result.message.blocks.some((b) => b.type === "actions")).toBe(false);

    expect(await db.prisma.offer.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({
      status: "rejected",
      rejectReason: "no_budget_or_timing",
      rejectComment: "Q3",
    });
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe("rejected");
    expect((await db.prisma.slaClock.findFirstOrThrow({ where: { leadId: lead.id } })).status).toBe("cancelled");
    const feedback = await db.prisma.outboxMessage.findFirstOrThrow({ where: { conversation: "console:marketing" } });
    expect(feedback.payload).toMatchObject({ kind: "post" });
    expect(JSON.stringify(feedback.payload)).toContain("Lead rejected: No budget / timing");
    expect(JSON.stringify(feedback.payload)).toContain("Q3");
  });

  it("asks for a comment when the reason is Other, and stores nothing", async () => {
    const db = await database();
    const { lead } = await seedOfferedLead(db);
    const result = await service(db).rejectLead(lead.id, ada, { reason: "other", comment: "  " });
    expect(result).toEqual({ outcome: "invalid", errors: { comment: expect.stringContaining("comment is required") } });
    expect(await service(db).rejectLead(lead.id, ada, { reason: "nope" as "other" })).toMatchObject({
      outcome: "invalid",
      errors: { reason: "Choose a reason." },
    });
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe("offered");
  });

  it("re-routes a wrong-territory rejection, excluding teams already tried", async () => {
    const db = await database();
    const { lead } = await seedOfferedLead(db);
    const calls: unknown[] = [];
    const reroute: RerouteLead = async (tx, input) => {
      calls.push({ excludeTeamIds: input.excludeTeamIds, attempt: input.attempt });
      await tx.offer.create({ data: { leadId: input.leadId, teamId: "na", conversation: "slack:CNA" } });
      await tx.lead.update({ where: { id: input.leadId }, data: { status: "offered", teamId: "na" } });
      return { teamId: "na", teamName: "NA Sales" };
    };
    const result = await service(db, reroute).rejectLead(lead.id, ada, { reason: "wrong_territory" });
    expect(result).toMatchObject({ outcome: "rejected", reroutedToTeam: "NA Sales" });
    expect(calls).toEqual([{ excludeTeamIds: ["emea"], attempt: 2 }]);
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe("offered");
    const feedback = await db.prisma.outboxMessage.findFirstOrThrow({ where: { conversation: "console:marketing" } });
    expect(JSON.stringify(feedback.payload)).toContain("Re-routed to NA Sales");
  });

  it("records next steps once, by the owner's team only", async () => {
    const db = await database();
    const { lead } = await seedOfferedLead(db);
    const handoff = service(db);
    await handoff.acceptLead(lead.id, ada);

    expect(await handoff.recordStep(lead.id, grace, "first_touch")).toMatchObject({ outcome: "refused" });
    const touched = await handoff.recordStep(lead.id, ada, "first_touch");
    expect(touched.outcome).toBe("recorded");
    if (touched.outcome === "recorded") expect(touched.message.text).toContain("First touch logged");
    // A second click (a stale card, a double click) is refused with the reason, and records nothing.
    expect(await handoff.recordStep(lead.id, ada, "first_touch")).toEqual({
      outcome: "refused",
      reply: {
        text: "Can't log a first touch: a first touch is already logged.",
        blocks: [{ type: "text", text: "Can't log a first touch: a first touch is already logged." }],
      },
    });
    expect(await db.prisma.funnelEvent.count({ where: { leadId: lead.id, type: "first_touch" } })).toBe(1);
    expect(
      (await db.prisma.slaClock.findFirstOrThrow({ where: { leadId: lead.id, kind: "first_touch" } })).status,
    ).toBe("met");

    const sql = await handoff.recordStep(lead.id, charles, "sql");
    expect(sql.outcome).toBe("recorded");
    expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ status: "sql" });
    if (sql.outcome === "recorded") {
      // Past SQL only the deal steps are left (for teams without a CRM hook).
      const buttons = sql.message.blocks.find((b) => b.type === "actions");
      expect(buttons?.type === "actions" && buttons.actions.map((action) => action.id)).toEqual([
        "lead_opportunity",
        "lead_won",
        "lead_lost",
      ]);
    }
  });

  it("disqualifying sends the lead back to marketing", async () => {
    const db = await database();
    const { lead } = await seedOfferedLead(db);
    const handoff = service(db);
    await handoff.acceptLead(lead.id, ada);
    const result = await handoff.recordStep(lead.id, ada, "disqualified");
    expect(result.outcome).toBe("recorded");
    if (result.outcome === "recorded") expect(result.message.text).toContain("Disqualified by Ada Lovelace");
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe("recycled");
    expect(
      (await db.prisma.slaClock.findFirstOrThrow({ where: { leadId: lead.id, kind: "first_touch" } })).status,
    ).toBe("cancelled");
    expect(await handoff.recordStep(lead.id, ada, "sql")).toMatchObject({ outcome: "refused" });
  });

  it("describes a lead by email or id: status, owner, clocks, history", async () => {
    const db = await database();
    const { lead } = await seedOfferedLead(db);
    const handoff = service(db);
    await handoff.acceptLead(lead.id, ada);
    const byEmail = await describeLead(db.prisma, "  ADA@analytical.example ");
    const text = JSON.stringify(byEmail.blocks);
    expect(byEmail.text).toContain("accepted");
    expect(byEmail.text).toContain("owner Ada Lovelace");
    expect(text).toContain("First touch: due");
    expect(text).toContain("lead.accepted by slack:UADA");
    expect((await describeLead(db.prisma, lead.id)).text).toBe(byEmail.text);
    expect((await describeLead(db.prisma, "<mailto:ada@analytical.example|ada@analytical.example>")).text).toBe(
      byEmail.text,
    );
    expect((await describeLead(db.prisma, "nobody@example.com")).text).toContain("No lead matches");
  });
});
