-- CreateIndex
CREATE INDEX "Offer_status_decidedAt_idx" ON "Offer"("status", "decidedAt");
