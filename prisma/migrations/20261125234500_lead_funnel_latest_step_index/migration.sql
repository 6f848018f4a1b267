-- The weekly agenda reads the leads with a step (MQL, accept, reject, first touch, SQL, close) in the five weeks it
-- looks at: "any of these dates on or after the baseline's start" is "their latest on or after it", and this index
-- answers that with a range scan of those weeks' leads, where the six dates' own conditions OR-ed together read
-- every lead (src/agenda/funnel-passages-sql.ts). GREATEST skips NULLs; receivedAt is never NULL.
-- An expression index: Prisma's schema cannot declare it, and its diff leaves it alone (checked with db:new).
CREATE INDEX "Lead_funnel_latest_step_idx" ON "Lead"
  ((GREATEST("receivedAt", "acceptedAt", "rejectedAt", "firstTouchAt", "sqlAt", "closedAt")));

-- Statistics for the new expression now: until the next auto-analyze the planner would guess a third of the leads
-- match and scan them all.
ANALYZE "Lead";
