/**
 * Delivers the outbox every second. Every replica runs it: the worker claims messages row by row (SKIP LOCKED
 * leases), so no slot is needed to keep two replicas from sending one message twice.
 */
import type { OutboxWorker } from "../outbox/outbox-worker.ts";
import type { Job } from "./job.ts";

export function outboxDeliveryJob(worker: OutboxWorker): Job {
  return {
    id: "outbox-delivery",
    schedule: "* * * * * *",
    async run() {
      await worker.runOnce();
    },
  };
}
