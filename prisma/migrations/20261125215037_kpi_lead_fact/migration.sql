-- DropIndex
DROP INDEX "FunnelEvent_type_occurredAt_idx";

-- CreateTable
CREATE TABLE "KpiLeadFact" (
    "leadId" UUID NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "duplicateOfId" UUID,
    "teamId" TEXT,
    "ownerRepId" TEXT,
    "source" TEXT NOT NULL,
    "campaign" TEXT,
    "channel" TEXT,
    "accepted" BOOLEAN NOT NULL,
    "rejected" BOOLEAN NOT NULL,
    "reachedSql" BOOLEAN NOT NULL,
    "won" BOOLEAN NOT NULL,
    "minutesToAccept" DOUBLE PRECISION[],
    "minutesToFirstTouch" DOUBLE PRECISION,
    "rejectReasons" TEXT[],
    "acceptSla" TEXT,
    "firstTouchSla" TEXT,

    CONSTRAINT "KpiLeadFact_pkey" PRIMARY KEY ("leadId")
);

-- CreateIndex
CREATE INDEX "KpiLeadFact_receivedAt_idx" ON "KpiLeadFact"("receivedAt");

-- CreateIndex
CREATE INDEX "KpiLeadFact_leadId_teamId_ownerRepId_source_campaign_channe_idx" ON "KpiLeadFact"("leadId", "teamId", "ownerRepId", "source", "campaign", "channel");

-- CreateIndex
CREATE INDEX "Deal_closedAt_openedAt_amount_leadId_idx" ON "Deal"("closedAt", "openedAt", "amount", "leadId");

-- CreateIndex
CREATE INDEX "FunnelEvent_type_occurredAt_leadId_amount_idx" ON "FunnelEvent"("type", "occurredAt", "leadId", "amount");

-- AddForeignKey
ALTER TABLE "KpiLeadFact" ADD CONSTRAINT "KpiLeadFact_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The KPI facts of each lead, as the KPI queries used to compute them from "Lead", "Offer" and "SlaClock" directly
-- (src/kpi/). One definition, used both to backfill and by the triggers below, so the table cannot drift from it.
CREATE VIEW "KpiLeadFactSource" AS
SELECT
  l.id AS "leadId",
  l."receivedAt",
  l."duplicateOfId",
  l."teamId",
  l."ownerRepId",
  l.source,
  l.campaign,
  l.channel,
  -- accepted: acceptedAt survives to the end (a re-route clears it only before the next team decides).
  l."acceptedAt" IS NOT NULL AS accepted,
  -- rejected: rejected, never accepted since, and not waiting on the team it was re-routed to.
  (l."rejectedAt" IS NOT NULL AND l."acceptedAt" IS NULL AND l.status NOT IN ('new', 'offered')) AS rejected,
  -- SQL: an SQL step, or a deal's status (a CRM may jump straight to opportunity / won / lost).
  (l."sqlAt" IS NOT NULL OR l.status IN ('sql', 'opportunity', 'won', 'lost')) AS "reachedSql",
  l.status = 'won' AS won,
  ARRAY(
    SELECT (EXTRACT(EPOCH FROM o."decidedAt" - o."postedAt") / 60)::float8
    FROM "Offer" o
    WHERE o."leadId" = l.id AND o.status = 'accepted' AND o."postedAt" IS NOT NULL AND o."decidedAt" IS NOT NULL
    ORDER BY o."createdAt", o.id
  ) AS "minutesToAccept",
  (EXTRACT(EPOCH FROM l."firstTouchAt" - l."acceptedAt") / 60)::float8 AS "minutesToFirstTouch",
  ARRAY(
    SELECT COALESCE(o."rejectReason"::text, 'other')
    FROM "Offer" o
    WHERE o."leadId" = l.id AND o.status = 'rejected' AND o."decidedAt" IS NOT NULL
    ORDER BY o."createdAt", o.id
  ) AS "rejectReasons",
  (SELECT CASE WHEN bool_or(c.status = 'breached') THEN 'breached' WHEN bool_or(c.status = 'met') THEN 'met' END
   FROM "SlaClock" c WHERE c."leadId" = l.id AND c.kind = 'accept') AS "acceptSla",
  (SELECT CASE WHEN bool_or(c.status = 'breached') THEN 'breached' WHEN bool_or(c.status = 'met') THEN 'met' END
   FROM "SlaClock" c WHERE c."leadId" = l.id AND c.kind = 'first_touch') AS "firstTouchSla"
FROM "Lead" l;

-- Re-reads one lead's facts; a lead that no longer exists has none (its row went with it: ON DELETE CASCADE).
CREATE FUNCTION kpi_refresh_lead_fact(lead_id uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "KpiLeadFact" ("leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign,
    channel, accepted, rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons",
    "acceptSla", "firstTouchSla")
  SELECT "leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign, channel, accepted,
    rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons", "acceptSla",
    "firstTouchSla"
  FROM "KpiLeadFactSource" WHERE "leadId" = lead_id
  ON CONFLICT ("leadId") DO UPDATE SET
    "receivedAt" = EXCLUDED."receivedAt", "duplicateOfId" = EXCLUDED."duplicateOfId", "teamId" = EXCLUDED."teamId",
    "ownerRepId" = EXCLUDED."ownerRepId", source = EXCLUDED.source, campaign = EXCLUDED.campaign,
    channel = EXCLUDED.channel, accepted = EXCLUDED.accepted, rejected = EXCLUDED.rejected,
    "reachedSql" = EXCLUDED."reachedSql", won = EXCLUDED.won, "minutesToAccept" = EXCLUDED."minutesToAccept",
    "minutesToFirstTouch" = EXCLUDED."minutesToFirstTouch", "rejectReasons" = EXCLUDED."rejectReasons",
    "acceptSla" = EXCLUDED."acceptSla", "firstTouchSla" = EXCLUDED."firstTouchSla";
END
$$;

CREATE FUNCTION kpi_lead_fact_on_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kpi_refresh_lead_fact(NEW.id);
  RETURN NULL;
END
$$;

-- For "Offer" and "SlaClock": the lead the row belonged to, and the one it belongs to now.
CREATE FUNCTION kpi_lead_fact_on_lead_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM kpi_refresh_lead_fact(OLD."leadId");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."leadId" <> OLD."leadId") THEN
    PERFORM kpi_refresh_lead_fact(NEW."leadId");
  END IF;
  RETURN NULL;
END
$$;

-- Deferred to the commit: the facts then read the transaction's final state once it has taken every other lock it
-- needs, so a fact row is always the last lock a transaction takes and cannot join a lock cycle (say, an accept
-- holding the lead and its offer while the SLA sweep holds one of its clocks). Only the columns the facts read
-- fire them: the SLA sweep's reminders and the outbox's message refs cost nothing here.
CREATE CONSTRAINT TRIGGER "Lead_kpi_fact" AFTER INSERT OR UPDATE OF "receivedAt", "duplicateOfId", "teamId",
  "ownerRepId", source, campaign, channel, status, "acceptedAt", "rejectedAt", "sqlAt", "firstTouchAt"
  ON "Lead" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kpi_lead_fact_on_lead();

CREATE CONSTRAINT TRIGGER "Offer_kpi_fact" AFTER INSERT OR DELETE OR UPDATE OF "leadId", status, "postedAt",
  "decidedAt", "rejectReason" ON "Offer" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  EXECUTE FUNCTION kpi_lead_fact_on_lead_child();

CREATE CONSTRAINT TRIGGER "SlaClock_kpi_fact" AFTER INSERT OR DELETE OR UPDATE OF "leadId", kind, status
  ON "SlaClock" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kpi_lead_fact_on_lead_child();

-- The leads already stored.
INSERT INTO "KpiLeadFact" ("leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign,
  channel, accepted, rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons",
  "acceptSla", "firstTouchSla")
SELECT "leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign, channel, accepted,
  rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons", "acceptSla",
  "firstTouchSla"
FROM "KpiLeadFactSource";
