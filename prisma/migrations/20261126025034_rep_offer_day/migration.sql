-- CreateTable
CREATE TABLE "RepOfferDay" (
    "repId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "offers" INTEGER NOT NULL,

    CONSTRAINT "RepOfferDay_pkey" PRIMARY KEY ("repId","day")
);

-- AddForeignKey
ALTER TABLE "RepOfferDay" ADD CONSTRAINT "RepOfferDay_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Round-robin weighs each rep's offers of the last seven days. Counting them per MQL read every offer of the window
-- (a bitmap heap scan of thousands of rows per rep once a team is busy: 3 ms at 8,000 offers), so intake grew slower
-- with every MQL. These triggers keep the count per rep and UTC day instead, in the writer's own transaction,
-- whoever writes offers: round-robin reads at most eight rows per rep.
CREATE FUNCTION rep_offer_day_add(rep_id text, offered_at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "RepOfferDay" ("repId", day, offers) VALUES (rep_id, (offered_at AT TIME ZONE 'UTC')::date, 1)
  ON CONFLICT ("repId", day) DO UPDATE SET offers = "RepOfferDay".offers + 1;
END
$$;

-- An UPDATE, not an upsert: the row exists unless the rep itself is being deleted (its rows cascade away, and
-- re-creating one would break the foreign key).
CREATE FUNCTION rep_offer_day_remove(rep_id text, offered_at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "RepOfferDay" SET offers = offers - 1
  WHERE "repId" = rep_id AND day = (offered_at AT TIME ZONE 'UTC')::date;
END
$$;

CREATE FUNCTION rep_offer_day_on_offer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."candidateRepId" IS NOT NULL THEN
    PERFORM rep_offer_day_remove(OLD."candidateRepId", OLD."createdAt");
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."candidateRepId" IS NOT NULL THEN
    PERFORM rep_offer_day_add(NEW."candidateRepId", NEW."createdAt");
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER rep_offer_day_on_insert_or_delete AFTER INSERT OR DELETE ON "Offer"
  FOR EACH ROW EXECUTE FUNCTION rep_offer_day_on_offer();
CREATE TRIGGER rep_offer_day_on_update AFTER UPDATE OF "candidateRepId", "createdAt" ON "Offer"
  FOR EACH ROW
  WHEN (OLD."candidateRepId" IS DISTINCT FROM NEW."candidateRepId" OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt")
  EXECUTE FUNCTION rep_offer_day_on_offer();

INSERT INTO "RepOfferDay" ("repId", day, offers)
SELECT "candidateRepId", ("createdAt" AT TIME ZONE 'UTC')::date, count(*)
FROM "Offer" WHERE "candidateRepId" IS NOT NULL
GROUP BY 1, 2;
