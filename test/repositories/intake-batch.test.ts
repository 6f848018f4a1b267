/**
 * The one-statement intake write: every row of a new MQL or none, the lead's key deciding a race, and rows the
 * same as the Prisma writes they replace would have stored (types, defaults, JSON).
 */
import { expect, it } from "vitest";
import { receiveMql } from "../../src/intake/receive-mql.ts";
import { newId, writeIntakeBatch } from "../../src/repositories/intake-batch.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { BUDGET_CONFIG, BUDGET_NOW, budgetMql } from "../support/budget-fixtures.ts";
import { describeEachDatabase } from "../support/databases.ts";

const leadRow = (externalId: string) => ({
  id: newId(),
  source: "hubspot",
  externalId,
  email: `${externalId}@analytical.example`,
  firstName: "Ada",
  employees: 120,
  sourceCreatedAt: new Date("2026-11-20T08:30:00.123Z"),
  rawPayload: { nested: { list: [1, "two", null, false] }, "quote's": 'a "b"' },
  receivedAt: BUDGET_NOW,
});

describeEachDatabase("writing an intake batch", (database) => {
  it("stores the lead and its offer rows with their types, JSON and defaults", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    const { leadId } = await receiveMql(db.prisma, budgetMql("1"));
    const lead = await db.prisma.lead.findUniqueOrThrow({
      where: { id: leadId },
      include: {
        offers: true,
        routingDecisions: true,
        slaClocks: true,
        auditEntries: { orderBy: [{ at: "asc" }, { id: "asc" }] },
      },
    });
    expect(lead).toMatchObject({
      status: "offered",
      teamId: "emea",
      receivedAt: BUDGET_NOW,
      offeredAt: BUDGET_NOW,
      ownerRepId: null,
      rawPayload: budgetMql("1").rawPayload,
    });
    expect(lead.routingDecisions).toEqual([
      expect.objectContaining({ teamId: "emea", ruleId: "emea-all", attempt: 1, decidedAt: BUDGET_NOW }),
    ]);
    const [decision] = lead.routingDecisions;
    expect(lead.offers).toEqual([
      expect.objectContaining({
        teamId: "emea",
        status: "pending",
        routingDecisionId: decision.id,
        candidateRepId: decision.repId,
        conversation: "slack:CEMEA",
        messageRef: null,
      }),
    ]);
    // 30 minutes of business time from 10:00 on a team working around the clock.
    expect(lead.slaClocks).toEqual([
      expect.objectContaining({
        kind: "accept",
        policy: "standard",
        status: "running",
        startedAt: BUDGET_NOW,
        dueAt: new Date("2026-11-24T10:30:00Z"),
        remindersSent: 0,
      }),
    ]);
    expect(lead.auditEntries.map((entry) => entry.action)).toEqual(["lead.received", "lead.routed"]);
    const rep = await db.prisma.rep.findUniqueOrThrow({ where: { id: decision.repId as string } });
    expect(rep.lastOfferedAt).toEqual(BUDGET_NOW);
    const post = await db.prisma.outboxMessage.findFirstOrThrow({ where: { leadId } });
    expect(post).toMatchObject({ kind: "post", status: "pending", attempts: 0, offerId: lead.offers[0].id });
    expect(post.idempotencyKey).toBe(`offer:${lead.offers[0].id}:post`);
  });

  it("keeps JSON, timestamps with milliseconds and numbers as given", async () => {
    const db = await database();
    const row = leadRow("json");
    expect(await writeIntakeBatch(db.prisma, { lead: row, audit: [] })).toBe(true);
    const stored = await db.prisma.lead.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored).toMatchObject({
      rawPayload: row.rawPayload,
      sourceCreatedAt: row.sourceCreatedAt,
      employees: 120,
      status: "new",
      lastName: null,
    });
  });

  it("writes nothing when the lead's key is already stored, and nothing at all when any part fails", async () => {
    const db = await database();
    await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
    const first = leadRow("same");
    expect(await writeIntakeBatch(db.prisma, { lead: first, audit: [] })).toBe(true);
    const copy = { ...leadRow("same"), email: "someone-else@analytical.example" };
    const audit = [{ actor: "test", action: "lead.received", details: {} }];
    expect(await writeIntakeBatch(db.prisma, { lead: copy, audit })).toBe(false);
    expect(await db.prisma.lead.count()).toBe(1);
    expect(await db.prisma.auditLog.count()).toBe(0);

    // An offer to a team that does not exist breaks a foreign key at the end of the statement: the lead, its audit
    // and its card, written by earlier parts of the same statement, are not stored either.
    const orphan = leadRow("orphan");
    const offer = { id: newId(), leadId: orphan.id, teamId: "no-such-team", conversation: "slack:CNONE" };
    await expect(
      writeIntakeBatch(db.prisma, {
        lead: orphan,
        offer,
        audit,
        outbox: {
          idempotencyKey: "orphan",
          conversation: "slack:CNONE",
          payload: { kind: "direct", message: { text: "x", blocks: [] } },
        },
      }),
    ).rejects.toThrow();
    expect(await db.prisma.lead.count({ where: { externalId: "orphan" } })).toBe(0);
    expect(await db.prisma.auditLog.count()).toBe(0);
    expect(await db.prisma.outboxMessage.count()).toBe(0);
  });
});
