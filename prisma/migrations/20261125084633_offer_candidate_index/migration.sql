-- CreateIndex
CREATE INDEX "Offer_candidateRepId_createdAt_idx" ON "Offer"("candidateRepId", "createdAt");
