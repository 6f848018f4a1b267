-- Each new MQL refreshed its lead's KPI facts three times at its commit (one deferred trigger for the lead, one for
-- its offer, one for its accept clock), and its deals' and closing events' facts too, though a new lead has none:
-- about 0.6 ms of PostgreSQL's CPU per MQL, a fifth of what intake costs the database.
--
-- Deferred triggers run at the commit, after every write of the transaction, and write only fact tables (which have
-- no triggers): every refresh of one lead at one commit reads the same final state. So a refresh right after one of
-- the same lead is skipped: the transaction remembers the last lead it refreshed (a transaction-local setting).
-- Only consecutive repeats are skipped, which is what one MQL, one accept or one CSV batch row queues. (SET
-- CONSTRAINTS … IMMEDIATE would fire them mid-transaction and break that reasoning; Baton never issues it.)
CREATE FUNCTION kpi_refresh_lead_fact_once(lead_id uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('baton.kpi_refreshed_lead', true) = lead_id::text THEN
    RETURN;
  END IF;
  PERFORM kpi_refresh_lead_fact(lead_id);
  PERFORM set_config('baton.kpi_refreshed_lead', lead_id::text, true);
END
$$;

-- A new lead has no deals or closing events yet: those written with it in the same transaction refresh their own
-- facts (their triggers read the lead's columns at the same commit).
CREATE OR REPLACE FUNCTION kpi_lead_fact_on_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM kpi_refresh_lead_fact_once(NEW.id);
  IF TG_OP = 'UPDATE' THEN
    -- The lead's filter columns are copied into its deals' and closing events' facts.
    PERFORM kpi_refresh_deal_facts(NULL, NEW.id);
    PERFORM kpi_refresh_closing_facts(NULL, NEW.id);
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION kpi_lead_fact_on_lead_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM kpi_refresh_lead_fact_once(OLD."leadId");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."leadId" <> OLD."leadId") THEN
    PERFORM kpi_refresh_lead_fact_once(NEW."leadId");
  END IF;
  RETURN NULL;
END
$$;
