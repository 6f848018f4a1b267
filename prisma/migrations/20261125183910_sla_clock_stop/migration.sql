-- AlterTable
ALTER TABLE "SlaClock" ADD COLUMN     "minutesLate" INTEGER,
ADD COLUMN     "nextActionAt" TIMESTAMPTZ(3),
ADD COLUMN     "stoppedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "SlaClock_status_nextActionAt_idx" ON "SlaClock"("status", "nextActionAt");
