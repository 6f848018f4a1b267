/**
 * An accept and everything it writes (the offer decided, the lead's owner, the accept clock stopped, the
 * first-touch clock started, the audit entry, the card update and the new owner's DM in the outbox) in ONE
 * statement (see sql-batch.ts), instead of a dozen in an interactive transaction: the click a rep waits on.
 *
 * The gate is the claim: the offer turns from pending to accepted only if it is still pending and the lead still
 * has the status the decision was made on. Of two simultaneous accepts (or an accept and a reject, or the SLA
 * sweep re-offering the lead) only one finds it so; for the other nothing is written.
 */
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "./outbox.ts";
import {
  type AuditRow,
  insertOutboxAfter,
  insertRowsAfter,
  newId,
  type OutboxRow,
  type RowOf,
  type SlaClockRow,
  updateAfter,
  writeGated,
} from "./sql-batch.ts";

export interface AcceptBatch {
  leadId: string;
  /** The lead's status when the decision was made: the claim fails if it changed meanwhile. */
  leadStatusBefore: string;
  offerId: string;
  at: Date;
  actor: string;
  repId: string;
  lead: RowOf<"Lead">;
  /** The accept clock that was waiting, with what stopping it writes. */
  stopClock?: { id: string; row: RowOf<"SlaClock"> };
  startClock: SlaClockRow;
  audit: AuditRow;
  /** In delivery order (the lead's messages go out one after another). */
  outbox: OutboxRow[];
}

/** Writes the accept in one statement; false when the offer was no longer pending (nothing was written). */
export async function writeAcceptBatch(db: Db, batch: AcceptBatch): Promise<boolean> {
  const now = new Date();
  const gate = "claimed";
  const claim = claimOffer(batch, now);
  const parts: Prisma.Sql[] = [
    updateAfter(gate, "Lead", { value: batch.leadId, cast: "uuid" }, { ...batch.lead, updatedAt: now }),
  ];
  if (batch.stopClock) {
    const { id, row } = batch.stopClock;
    parts.push(
      updateAfter(
        gate,
        "SlaClock",
        { value: id, cast: "uuid" },
        { ...row, updatedAt: now },
        Prisma.sql`AND "stoppedAt" IS NULL`,
      ),
    );
  }
  parts.push(insertRowsAfter(gate, "SlaClock", [{ ...batch.startClock, createdAt: now, updatedAt: now }]));
  parts.push(insertRowsAfter(gate, "AuditLog", [{ id: newId(), at: now, leadId: batch.leadId, ...batch.audit }]));
  if (batch.outbox.length > 0) parts.push(insertOutboxAfter(gate, batch.outbox, batch.leadId, now));
  return writeGated(db, { name: gate, statement: claim }, parts);
}

/** The claim: the gate itself, so it reads no other part. */
function claimOffer(batch: AcceptBatch, now: Date): Prisma.Sql {
  return Prisma.sql`UPDATE "Offer" SET status = 'accepted'::"OfferStatus", "decidedAt" = ${batch.at}::timestamptz,
      "decidedByRepId" = ${batch.repId}::text, "decidedByUser" = ${batch.actor}::text, "updatedAt" = ${now}::timestamptz
    WHERE id = ${batch.offerId}::uuid AND status = 'pending'::"OfferStatus"
      AND EXISTS (SELECT 1 FROM "Lead" WHERE id = ${batch.leadId}::uuid AND status = ${batch.leadStatusBefore}::"LeadStatus")`;
}
