-- CreateIndex
CREATE INDEX "Deal_outcome_amount_idx" ON "Deal"("outcome", "amount");

-- CreateIndex
CREATE INDEX "SlaClock_breachedAt_idx" ON "SlaClock"("breachedAt");
