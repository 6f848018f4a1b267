/**
 * A new lead and everything its arrival writes (routing decision, offer, the rep's round-robin turn, the accept
 * clock, audit entries, the card in the outbox) in ONE statement (see sql-batch.ts): one round trip instead of
 * nine, no interactive transaction.
 *
 * The lead's insert is the gate, ON CONFLICT DO NOTHING on its (source, externalId) key: when the lead was already
 * stored (a retry racing the first copy), nothing is written and the statement returns no row.
 */
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "./outbox.ts";
import {
  type AuditRow,
  insertOutboxAfter,
  insertRowsAfter,
  insertValues,
  newId,
  type OutboxRow,
  type RowOf,
  type SlaClockRow,
  updateAfter,
  writeGated,
} from "./sql-batch.ts";

export { type AuditRow, newId, type OutboxRow } from "./sql-batch.ts";

export type LeadRow = RowOf<"Lead"> & { id: string };
export type RoutingDecisionRow = RowOf<"RoutingDecision"> & { id: string };
export type OfferRow = RowOf<"Offer"> & { id: string };
export interface IntakeBatch {
  lead: LeadRow;
  routingDecision?: RoutingDecisionRow;
  offer?: OfferRow;
  /** The suggested rep's round-robin turn. */
  repOffered?: { repId: string; at: Date };
  clock?: SlaClockRow;
  /** Audit entries about the new lead, in order. */
  audit: AuditRow[];
  outbox?: OutboxRow;
}

/**
 * Writes the batch in one statement; false when a lead with the same (source, externalId) was already stored, in
 * which case nothing was written.
 */
export async function writeIntakeBatch(db: Db, batch: IntakeBatch): Promise<boolean> {
  const now = new Date();
  const lead: LeadRow = { createdAt: now, updatedAt: batch.lead.createdAt ?? now, ...batch.lead };
  const gate = "new_lead";
  const parts: Prisma.Sql[] = [];
  if (batch.routingDecision) parts.push(insertRowsAfter(gate, "RoutingDecision", [batch.routingDecision]));
  if (batch.offer) parts.push(insertRowsAfter(gate, "Offer", [{ ...batch.offer, createdAt: now, updatedAt: now }]));
  if (batch.repOffered) {
    const { repId, at } = batch.repOffered;
    parts.push(updateAfter(gate, "Rep", { value: repId, cast: "text" }, { lastOfferedAt: at, updatedAt: now }));
  }
  if (batch.clock) parts.push(insertRowsAfter(gate, "SlaClock", [{ ...batch.clock, createdAt: now, updatedAt: now }]));
  if (batch.audit.length > 0) {
    const entries = batch.audit.map((entry) => ({ id: newId(), at: now, leadId: lead.id, ...entry }));
    parts.push(insertRowsAfter(gate, "AuditLog", entries));
  }
  if (batch.outbox) parts.push(insertOutboxAfter(gate, [batch.outbox], lead.id, now));
  const statement = Prisma.sql`${insertValues("Lead", lead)} ON CONFLICT (source, "externalId") DO NOTHING`;
  return writeGated(db, { name: gate, statement }, parts);
}
