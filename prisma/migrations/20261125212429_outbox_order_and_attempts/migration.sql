-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "attemptStartedAt" TIMESTAMPTZ(3),
ADD COLUMN     "sequence" SERIAL NOT NULL;

-- CreateIndex
CREATE INDEX "OutboxMessage_leadId_status_sequence_idx" ON "OutboxMessage"("leadId", "status", "sequence");
