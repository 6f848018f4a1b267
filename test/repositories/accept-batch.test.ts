/**
 * The one-statement accept: everything or nothing, the claim deciding — the offer must still be pending and the lead
 * still in the status the decision was made on.
 */
import { expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { receiveMql } from "../../src/intake/receive-mql.ts";
import { type AcceptBatch, writeAcceptBatch } from "../../src/repositories/accept-batch.ts";
import { newId } from "../../src/repositories/sql-batch.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { BUDGET_CONFIG, BUDGET_NOW, budgetMql } from "../support/budget-fixtures.ts";
import { describeEachDatabase } from "../support/databases.ts";

const AT = new Date("2026-11-24T10:12:00.250Z");

async function offeredLead(db: Database) {
  await syncConfigToDatabase(db.prisma, BUDGET_CONFIG);
  const { leadId } = await receiveMql(db.prisma, budgetMql("1"));
  const offer = await db.prisma.offer.findFirstOrThrow({ where: { leadId } });
  const clock = await db.prisma.slaClock.findFirstOrThrow({ where: { leadId, kind: "accept" } });
  return { leadId, offer, clock };
}

function acceptBatch(lead: Awaited<ReturnType<typeof offeredLead>>, changes: Partial<AcceptBatch> = {}): AcceptBatch {
  return {
    leadId: lead.leadId,
    leadStatusBefore: "offered",
    offerId: lead.offer.id,
    at: AT,
    actor: "slack:UADA",
    repId: "ada",
    lead: { status: "accepted", ownerRepId: "ada", acceptedAt: AT, teamId: "emea" },
    stopClock: {
      id: lead.clock.id,
      row: { status: "met", metAt: AT, stoppedAt: AT, minutesLate: 0, nextActionAt: null },
    },
    startClock: {
      id: newId(),
      leadId: lead.leadId,
      kind: "first_touch",
      policy: "standard",
      startedAt: AT,
      dueAt: new Date("2026-11-24T14:12:00.250Z"),
      nextActionAt: new Date("2026-11-24T12:12:00.250Z"),
    },
    audit: { actor: "slack:UADA", action: "lead.accepted", details: { offerId: lead.offer.id, acceptSla: "met" } },
    outbox: [
      {
        idempotencyKey: `offer:${lead.offer.id}:accepted:card`,
        conversation: "slack:CEMEA",
        payload: {
          kind: "update",
          ref: { conversation: "slack:CEMEA", messageId: "1.2" },
          message: { text: "card", blocks: [] },
        },
        offerId: lead.offer.id,
      },
      {
        idempotencyKey: `offer:${lead.offer.id}:accepted:dm`,
        conversation: "slack:UADA",
        payload: { kind: "direct", message: { text: "yours", blocks: [] } },
      },
    ],
    ...changes,
  };
}

/** Everything an accept writes, to compare before and after. */
async function acceptRows(db: Database, leadId: string) {
  return {
    lead: await db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } }),
    offers: await db.prisma.offer.findMany({ where: { leadId } }),
    clocks: await db.prisma.slaClock.findMany({ where: { leadId }, orderBy: { kind: "asc" } }),
    audit: await db.prisma.auditLog.count({ where: { leadId } }),
    outbox: await db.prisma.outboxMessage.findMany({ where: { leadId }, orderBy: { sequence: "asc" } }),
  };
}

describeEachDatabase("writing an accept batch", (database) => {
  it("writes the claim, the lead, both clocks, the audit entry and the messages in order", async () => {
    const db = await database();
    const lead = await offeredLead(db);
    expect(await writeAcceptBatch(db.prisma, acceptBatch(lead))).toBe(true);
    const rows = await acceptRows(db, lead.leadId);
    expect(rows.lead).toMatchObject({ status: "accepted", ownerRepId: "ada", acceptedAt: AT, offeredAt: BUDGET_NOW });
    expect(rows.offers).toEqual([
      expect.objectContaining({
        status: "accepted",
        decidedAt: AT,
        decidedByRepId: "ada",
        decidedByUser: "slack:UADA",
      }),
    ]);
    expect(rows.clocks).toEqual([
      expect.objectContaining({
        kind: "accept",
        status: "met",
        metAt: AT,
        stoppedAt: AT,
        minutesLate: 0,
        nextActionAt: null,
      }),
      expect.objectContaining({ kind: "first_touch", status: "running", remindersSent: 0, startedAt: AT }),
    ]);
    expect(rows.audit).toBe(3);
    // The intake's post first, then the card update, then the DM: the lead's messages go out in this order.
    expect(rows.outbox.map((message) => [message.kind, message.conversation, message.offerId])).toEqual([
      ["post", "slack:CEMEA", lead.offer.id],
      ["update", "slack:CEMEA", lead.offer.id],
      ["direct", "slack:UADA", null],
    ]);
  });

  it("writes nothing when the offer was decided meanwhile or the lead moved on", async () => {
    const db = await database();
    const lead = await offeredLead(db);
    const before = await acceptRows(db, lead.leadId);
    // The decision was made on a lead that was `new`: it is `offered` now.
    expect(await writeAcceptBatch(db.prisma, acceptBatch(lead, { leadStatusBefore: "new" }))).toBe(false);
    expect(await acceptRows(db, lead.leadId)).toEqual(before);

    expect(await writeAcceptBatch(db.prisma, acceptBatch(lead))).toBe(true);
    const accepted = await acceptRows(db, lead.leadId);
    // A second click's batch, made before the first committed: the offer is no longer pending.
    const second = acceptBatch(lead, { actor: "slack:UCHARLES", repId: "charles" });
    second.startClock = { ...second.startClock, id: newId() };
    second.outbox = second.outbox.map((message) => ({ ...message, idempotencyKey: `${message.idempotencyKey}:2` }));
    expect(await writeAcceptBatch(db.prisma, second)).toBe(false);
    expect(await acceptRows(db, lead.leadId)).toEqual(accepted);
  });

  it("writes nothing at all when any part fails", async () => {
    const db = await database();
    const lead = await offeredLead(db);
    const before = await acceptRows(db, lead.leadId);
    // A rep that does not exist breaks a foreign key at the end of the statement, after the claim ran.
    await expect(writeAcceptBatch(db.prisma, acceptBatch(lead, { repId: "nobody" }))).rejects.toThrow();
    expect(await acceptRows(db, lead.leadId)).toEqual(before);
  });
});
