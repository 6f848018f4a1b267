/** Remembers inbound deliveries already handled (Slack event ids, …) so that a redelivery does nothing twice. */
import type { Db } from "./outbox.ts";

/**
 * Records that `source` delivered `key`; true the first time, false for every repeat. The unique (source, key)
 * index decides, so two replicas receiving the same delivery at once still agree on a single first.
 */
export async function recordInboundReceipt(db: Db, source: string, key: string): Promise<boolean> {
  const { count } = await db.inboundReceipt.createMany({ data: [{ source, key }], skipDuplicates: true });
  return count === 1;
}

/** Forgets a delivery whose handling failed, so that the sender's redelivery is handled rather than ignored. */
export async function forgetInboundReceipt(db: Db, source: string, key: string): Promise<void> {
  await db.inboundReceipt.deleteMany({ where: { source, key } });
}
