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

-- CreateTable
CREATE TABLE "KpiDealFact" (
    "dealId" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "teamId" TEXT,
    "ownerRepId" TEXT,
    "source" TEXT NOT NULL,
    "campaign" TEXT,

    CONSTRAINT "KpiDealFact_pkey" PRIMARY KEY ("dealId")
);

-- CreateTable
CREATE TABLE "KpiClosingFact" (
    "eventId" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "type" "FunnelEventType" NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "amount" DECIMAL(14,2),
    "teamId" TEXT,
    "ownerRepId" TEXT,
    "source" TEXT NOT NULL,
    "campaign" TEXT,
    "attributed" BOOLEAN NOT NULL,

    CONSTRAINT "KpiClosingFact_pkey" PRIMARY KEY ("eventId")
);

-- CreateIndex
CREATE INDEX "KpiLeadFact_receivedAt_idx" ON "KpiLeadFact"("receivedAt");

-- CreateIndex
CREATE INDEX "KpiDealFact_closedAt_openedAt_idx" ON "KpiDealFact"("closedAt", "openedAt");

-- CreateIndex
CREATE INDEX "KpiDealFact_leadId_idx" ON "KpiDealFact"("leadId");

-- CreateIndex
CREATE INDEX "KpiClosingFact_type_occurredAt_idx" ON "KpiClosingFact"("type", "occurredAt");

-- CreateIndex
CREATE INDEX "KpiClosingFact_leadId_idx" ON "KpiClosingFact"("leadId");

-- AddForeignKey
ALTER TABLE "KpiLeadFact" ADD CONSTRAINT "KpiLeadFact_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KpiDealFact" ADD CONSTRAINT "KpiDealFact_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KpiClosingFact" ADD CONSTRAINT "KpiClosingFact_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "FunnelEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

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

-- A deal, or a closing event, with its lead's filter columns: for the open pipeline and the closed deals of a period
-- filtered by team, rep, source or campaign, read from one row each instead of a lookup of every deal's lead.
CREATE VIEW "KpiDealFactSource" AS
SELECT d.id AS "dealId", d."leadId", d.amount, d."openedAt", d."closedAt",
  l."teamId", l."ownerRepId", l.source, l.campaign
FROM "Deal" d JOIN "Lead" l ON l.id = d."leadId";

CREATE VIEW "KpiClosingFactSource" AS
SELECT e.id AS "eventId", e."leadId", e.type, e."occurredAt", e.amount,
  l."teamId", l."ownerRepId", l.source, l.campaign,
  (l.campaign IS NOT NULL OR l.channel IS NOT NULL) AS attributed
FROM "FunnelEvent" e JOIN "Lead" l ON l.id = e."leadId"
WHERE e.type IN ('won', 'lost', 'renewed', 'churned');

-- Re-reads the facts of one deal / one event, or of every deal and event of one lead (after a change to the lead).
CREATE FUNCTION kpi_refresh_deal_facts(deal_id uuid, lead_id uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "KpiDealFact" WHERE "dealId" = deal_id OR "leadId" = lead_id;
  INSERT INTO "KpiDealFact" ("dealId", "leadId", amount, "openedAt", "closedAt", "teamId", "ownerRepId", source,
    campaign)
  SELECT "dealId", "leadId", amount, "openedAt", "closedAt", "teamId", "ownerRepId", source, campaign
  FROM "KpiDealFactSource" WHERE "dealId" = deal_id OR "leadId" = lead_id;
END
$$;

CREATE FUNCTION kpi_refresh_closing_facts(event_id uuid, lead_id uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "KpiClosingFact" WHERE "eventId" = event_id OR "leadId" = lead_id;
  INSERT INTO "KpiClosingFact" ("eventId", "leadId", type, "occurredAt", amount, "teamId", "ownerRepId", source,
    campaign, attributed)
  SELECT "eventId", "leadId", type, "occurredAt", amount, "teamId", "ownerRepId", source, campaign, attributed
  FROM "KpiClosingFactSource" WHERE "eventId" = event_id OR "leadId" = lead_id;
END
$$;

CREATE FUNCTION kpi_lead_fact_on_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kpi_refresh_lead_fact(NEW.id);
  -- The lead's filter columns are copied into its deals' and closing events' facts.
  PERFORM kpi_refresh_deal_facts(NULL, NEW.id);
  PERFORM kpi_refresh_closing_facts(NULL, NEW.id);
  RETURN NULL;
END
$$;

CREATE FUNCTION kpi_deal_fact_on_deal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM kpi_refresh_deal_facts(OLD.id, NULL);
  ELSE
    PERFORM kpi_refresh_deal_facts(NEW.id, NULL);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION kpi_closing_fact_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM kpi_refresh_closing_facts(OLD.id, NULL);
  ELSE
    PERFORM kpi_refresh_closing_facts(NEW.id, NULL);
  END IF;
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

CREATE CONSTRAINT TRIGGER "Deal_kpi_fact" AFTER INSERT OR DELETE OR UPDATE OF "leadId", amount, "openedAt",
  "closedAt" ON "Deal" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kpi_deal_fact_on_deal();

CREATE CONSTRAINT TRIGGER "FunnelEvent_kpi_fact" AFTER INSERT OR DELETE OR UPDATE OF "leadId", type, "occurredAt",
  amount ON "FunnelEvent" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kpi_closing_fact_on_event();

-- The leads already stored.
INSERT INTO "KpiLeadFact" ("leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign,
  channel, accepted, rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons",
  "acceptSla", "firstTouchSla")
SELECT "leadId", "receivedAt", "duplicateOfId", "teamId", "ownerRepId", source, campaign, channel, accepted,
  rejected, "reachedSql", won, "minutesToAccept", "minutesToFirstTouch", "rejectReasons", "acceptSla",
  "firstTouchSla"
FROM "KpiLeadFactSource";

INSERT INTO "KpiDealFact" ("dealId", "leadId", amount, "openedAt", "closedAt", "teamId", "ownerRepId", source, campaign)
SELECT "dealId", "leadId", amount, "openedAt", "closedAt", "teamId", "ownerRepId", source, campaign
FROM "KpiDealFactSource";

INSERT INTO "KpiClosingFact" ("eventId", "leadId", type, "occurredAt", amount, "teamId", "ownerRepId", source,
  campaign, attributed)
SELECT "eventId", "leadId", type, "occurredAt", amount, "teamId", "ownerRepId", source, campaign, attributed
FROM "KpiClosingFactSource";
