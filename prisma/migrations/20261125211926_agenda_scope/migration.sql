-- DropForeignKey
ALTER TABLE "ActionItem" DROP CONSTRAINT "ActionItem_teamId_fkey";

-- DropForeignKey
ALTER TABLE "WeeklyAgenda" DROP CONSTRAINT "WeeklyAgenda_teamId_fkey";

-- DropIndex
DROP INDEX "ActionItem_teamId_status_idx";

-- DropIndex
DROP INDEX "WeeklyAgenda_teamId_weekStart_key";

-- AlterTable
ALTER TABLE "ActionItem" ADD COLUMN     "createdBy" TEXT,
ADD COLUMN     "doneBy" TEXT,
ADD COLUMN     "scope" TEXT NOT NULL,
ADD COLUMN     "sourceLink" TEXT,
ALTER COLUMN "teamId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "WeeklyAgenda" ADD COLUMN     "postedLate" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "scope" TEXT NOT NULL,
ALTER COLUMN "teamId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "ActionItem_scope_status_idx" ON "ActionItem"("scope", "status");

-- CreateIndex
CREATE UNIQUE INDEX "WeeklyAgenda_scope_weekStart_key" ON "WeeklyAgenda"("scope", "weekStart");

-- AddForeignKey
ALTER TABLE "WeeklyAgenda" ADD CONSTRAINT "WeeklyAgenda_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;
