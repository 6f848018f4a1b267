/**
 * Two sweeps (two replicas, each with its own connection pool) on one real PostgreSQL over 200 due clocks: every
 * reminder, escalation and re-offer happens once. Runs only with BATON_TEST_POSTGRES_URL: PGlite is one connection,
 * so nothing would race.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseBatonConfig } from "../../src/config/baton-config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createLogger } from "../../src/logger.ts";
import { syncConfigToDatabase } from "../../src/repositories/sync-config.ts";
import { type SweepOutcome, sweepSlaClocks } from "../../src/sla/sweep-sla-clocks.ts";
import { createTestDatabase, POSTGRES_ADMIN_URL } from "../support/databases.ts";

const config = parseBatonConfig(`
teams:
  - id: emea-sales
    name: EMEA Sales
    channel: console:emea-sales
    workingHours: { days: [mon, tue, wed, thu, fri, sat, sun], start: "00:00", end: "24:00" }
    manager: grace
    reps:
      - { id: ada, name: Ada Lovelace }
      - { id: charles, name: Charles Babbage }
      - { id: grace, name: Grace Hopper }
routing: { fallbackTeam: emea-sales }
sla:
  defaultPolicy: standard
  policies:
    - { id: standard, acceptWithin: 30m, firstTouchWithin: 4h, remindAt: [0.5, 0.9], escalateTo: "console:sla", reassignOnBreach: true }
`);

const NOW = new Date("2027-01-04T10:00:00Z");
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

describe.skipIf(!POSTGRES_ADMIN_URL)("SLA sweep on two replicas [postgres]", () => {
  it("sends each reminder and escalation once and re-offers each lead once over 200 due clocks", async () => {
    const db = await createTestDatabase("postgres");
    const other = await openDatabase({
      kind: "postgres",
      url: (db.migrationTarget as { databaseUrl: string }).databaseUrl,
    });
    try {
      await syncConfigToDatabase(db.prisma, config);
      // 100 clocks at their first reminder (15 of 30 minutes gone a minute ago), 100 a minute past their due time.
      const leads = Array.from({ length: 200 }, (_, i) => ({ id: randomUUID(), breach: i % 2 === 1, i }));
      await db.prisma.lead.createMany({
        data: leads.map((lead) => ({
          id: lead.id,
          source: "hubspot",
          externalId: `bulk-${lead.i}`,
          email: `lead${lead.i}@example.com`,
          rawPayload: {},
          status: "offered" as const,
          teamId: "emea-sales",
          offeredAt: minutesAgo(lead.breach ? 31 : 16),
        })),
      });
      await db.prisma.offer.createMany({
        data: leads.map((lead) => ({
          leadId: lead.id,
          teamId: "emea-sales",
          conversation: "console:emea-sales",
          messageRef: String(lead.i),
        })),
      });
      await db.prisma.slaClock.createMany({
        data: leads.map((lead) => {
          const startedAt = minutesAgo(lead.breach ? 31 : 16);
          return {
            leadId: lead.id,
            kind: "accept" as const,
            policy: "standard",
            startedAt,
            dueAt: new Date(startedAt.getTime() + 30 * 60_000),
            nextActionAt: minutesAgo(1),
            remindersSent: lead.breach ? 2 : 0,
          };
        }),
      });

      const sweep = (prisma: typeof db.prisma) =>
        sweepSlaClocks({ prisma, batonConfig: () => config, logger: createLogger("silent"), batchSize: 10 }, NOW);
      const outcomes: SweepOutcome[] = await Promise.all([sweep(db.prisma), sweep(other.prisma)]);
      const total = (key: keyof SweepOutcome) => outcomes.reduce((sum, outcome) => sum + outcome[key], 0);
      expect([total("reminders"), total("breaches"), total("reoffers"), total("summaries")]).toEqual([
        100, 100, 100, 0,
      ]);

      const keys = (await db.prisma.outboxMessage.findMany({ select: { idempotencyKey: true } })).map((row) =>
        row.idempotencyKey.replace(/^sla:[0-9a-f-]+:/, "sla:<clock>:").replace(/^offer:[0-9a-f-]+:/, "offer:<offer>:"),
      );
      const count = (key: string) => keys.filter((candidate) => candidate === key).length;
      expect(count("sla:<clock>:remind-1")).toBe(100);
      expect(count("sla:<clock>:remind-2")).toBe(0);
      expect(count("sla:<clock>:breach:escalation")).toBe(100);
      expect(count("sla:<clock>:breach:manager")).toBe(100);
      expect(count("sla:<clock>:breach:withdrawn")).toBe(100);
      expect(count("offer:<offer>:post")).toBe(100);
      expect(keys).toHaveLength(500);

      const clocks = await db.prisma.slaClock.groupBy({ by: ["status", "remindersSent"], _count: { _all: true } });
      expect(
        clocks
          .map((row) => [row.status, row.remindersSent, row._count._all])
          .sort((a, b) => String(a).localeCompare(String(b))),
      ).toEqual([
        ["breached", 2, 100],
        // The 100 reminded clocks, and the 100 new clocks of the re-offers.
        ["running", 0, 100],
        ["running", 1, 100],
      ]);
      const offers = await db.prisma.offer.groupBy({ by: ["status"], _count: { _all: true } });
      expect(Object.fromEntries(offers.map((row) => [row.status, row._count._all]))).toEqual({
        pending: 200,
        withdrawn: 100,
      });
    } finally {
      await other.close();
      await db.close();
    }
  });
});
