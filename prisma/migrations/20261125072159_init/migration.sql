-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('slack', 'teams', 'console');

-- CreateEnum
CREATE TYPE "RepStatus" AS ENUM ('active', 'away');

-- CreateEnum
CREATE TYPE "LeadStatus" AS ENUM ('new', 'offered', 'accepted', 'rejected', 'contacted', 'sql', 'opportunity', 'won', 'lost', 'recycled');

-- CreateEnum
CREATE TYPE "OfferStatus" AS ENUM ('pending', 'accepted', 'rejected', 'expired', 'withdrawn');

-- CreateEnum
CREATE TYPE "RejectReason" AS ENUM ('not_a_fit', 'wrong_territory', 'duplicate', 'existing_customer', 'bad_contact_data', 'no_budget_or_timing', 'other');

-- CreateEnum
CREATE TYPE "SlaKind" AS ENUM ('accept', 'first_touch');

-- CreateEnum
CREATE TYPE "SlaStatus" AS ENUM ('running', 'met', 'breached', 'cancelled');

-- CreateEnum
CREATE TYPE "FunnelEventType" AS ENUM ('first_touch', 'sql', 'opportunity', 'won', 'lost', 'renewed', 'churned', 'disqualified');

-- CreateEnum
CREATE TYPE "DealOutcome" AS ENUM ('open', 'won', 'lost');

-- CreateEnum
CREATE TYPE "TargetKind" AS ENUM ('weekly_mql', 'quota');

-- CreateEnum
CREATE TYPE "ActionItemStatus" AS ENUM ('open', 'done', 'dropped');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "timezone" TEXT NOT NULL,
    "workingHours" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rep" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "slackUserId" TEXT,
    "teamsUserId" TEXT,
    "capacity" INTEGER NOT NULL DEFAULT 10,
    "status" "RepStatus" NOT NULL DEFAULT 'active',
    "timezone" TEXT,
    "workingHours" JSONB,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastOfferedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Rep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Lead" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "company" TEXT,
    "companyDomain" TEXT,
    "title" TEXT,
    "phone" TEXT,
    "country" TEXT,
    "region" TEXT,
    "employees" INTEGER,
    "industry" TEXT,
    "score" INTEGER,
    "campaign" TEXT,
    "channel" TEXT,
    "notes" TEXT,
    "sourceCreatedAt" TIMESTAMPTZ(3),
    "rawPayload" JSONB NOT NULL,
    "status" "LeadStatus" NOT NULL DEFAULT 'new',
    "teamId" TEXT,
    "ownerRepId" TEXT,
    "duplicateOfId" UUID,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "offeredAt" TIMESTAMPTZ(3),
    "acceptedAt" TIMESTAMPTZ(3),
    "rejectedAt" TIMESTAMPTZ(3),
    "firstTouchAt" TIMESTAMPTZ(3),
    "sqlAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingDecision" (
    "id" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "teamId" TEXT NOT NULL,
    "repId" TEXT,
    "ruleId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "decidedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoutingDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Offer" (
    "id" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "teamId" TEXT NOT NULL,
    "routingDecisionId" UUID,
    "candidateRepId" TEXT,
    "status" "OfferStatus" NOT NULL DEFAULT 'pending',
    "conversation" TEXT NOT NULL,
    "messageRef" TEXT,
    "postedAt" TIMESTAMPTZ(3),
    "decidedAt" TIMESTAMPTZ(3),
    "decidedByRepId" TEXT,
    "decidedByUser" TEXT,
    "rejectReason" "RejectReason",
    "rejectComment" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlaClock" (
    "id" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "kind" "SlaKind" NOT NULL,
    "policy" TEXT NOT NULL,
    "status" "SlaStatus" NOT NULL DEFAULT 'running',
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "metAt" TIMESTAMPTZ(3),
    "breachedAt" TIMESTAMPTZ(3),
    "remindersSent" INTEGER NOT NULL DEFAULT 0,
    "lastRemindedAt" TIMESTAMPTZ(3),
    "escalatedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SlaClock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FunnelEvent" (
    "id" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "type" "FunnelEventType" NOT NULL,
    "source" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "amount" DECIMAL(14,2),
    "currency" TEXT,
    "reason" TEXT,
    "repId" TEXT,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FunnelEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deal" (
    "id" UUID NOT NULL,
    "leadId" UUID NOT NULL,
    "teamId" TEXT,
    "ownerRepId" TEXT,
    "externalId" TEXT,
    "name" TEXT,
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "stage" TEXT NOT NULL DEFAULT 'open',
    "outcome" "DealOutcome" NOT NULL DEFAULT 'open',
    "closeDate" DATE,
    "openedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Deal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MarketingSpend" (
    "id" UUID NOT NULL,
    "weekStart" DATE NOT NULL,
    "channel" TEXT NOT NULL,
    "campaign" TEXT NOT NULL DEFAULT '',
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MarketingSpend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Target" (
    "id" UUID NOT NULL,
    "kind" "TargetKind" NOT NULL,
    "teamId" TEXT,
    "repId" TEXT,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "value" DECIMAL(14,2) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WeeklyAgenda" (
    "id" UUID NOT NULL,
    "teamId" TEXT NOT NULL,
    "weekStart" DATE NOT NULL,
    "content" JSONB NOT NULL,
    "conversation" TEXT,
    "messageRef" TEXT,
    "postedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WeeklyAgenda_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" UUID NOT NULL,
    "teamId" TEXT NOT NULL,
    "agendaId" UUID,
    "text" TEXT NOT NULL,
    "owner" TEXT,
    "dueAt" TIMESTAMPTZ(3),
    "status" "ActionItemStatus" NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMPTZ(3),

    CONSTRAINT "ActionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "result" JSONB,
    "leadId" UUID,
    "offerId" UUID,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "leadId" UUID,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversationRef" (
    "id" UUID NOT NULL,
    "conversation" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "name" TEXT,
    "reference" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConversationRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundReceipt" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboundReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" UUID NOT NULL,
    "job" TEXT NOT NULL,
    "runKey" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Rep_teamId_idx" ON "Rep"("teamId");

-- CreateIndex
CREATE INDEX "Rep_slackUserId_idx" ON "Rep"("slackUserId");

-- CreateIndex
CREATE INDEX "Rep_teamsUserId_idx" ON "Rep"("teamsUserId");

-- CreateIndex
CREATE INDEX "Lead_email_idx" ON "Lead"("email");

-- CreateIndex
CREATE INDEX "Lead_companyDomain_idx" ON "Lead"("companyDomain");

-- CreateIndex
CREATE INDEX "Lead_status_receivedAt_idx" ON "Lead"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "Lead_teamId_receivedAt_idx" ON "Lead"("teamId", "receivedAt");

-- CreateIndex
CREATE INDEX "Lead_ownerRepId_status_idx" ON "Lead"("ownerRepId", "status");

-- CreateIndex
CREATE INDEX "Lead_receivedAt_idx" ON "Lead"("receivedAt");

-- CreateIndex
CREATE INDEX "Lead_campaign_receivedAt_idx" ON "Lead"("campaign", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Lead_source_externalId_key" ON "Lead"("source", "externalId");

-- CreateIndex
CREATE INDEX "RoutingDecision_leadId_decidedAt_idx" ON "RoutingDecision"("leadId", "decidedAt");

-- CreateIndex
CREATE INDEX "RoutingDecision_teamId_decidedAt_idx" ON "RoutingDecision"("teamId", "decidedAt");

-- CreateIndex
CREATE INDEX "Offer_leadId_createdAt_idx" ON "Offer"("leadId", "createdAt");

-- CreateIndex
CREATE INDEX "Offer_teamId_status_createdAt_idx" ON "Offer"("teamId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Offer_status_createdAt_idx" ON "Offer"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Offer_rejectReason_decidedAt_idx" ON "Offer"("rejectReason", "decidedAt");

-- CreateIndex
CREATE INDEX "Offer_conversation_messageRef_idx" ON "Offer"("conversation", "messageRef");

-- CreateIndex
CREATE INDEX "SlaClock_status_dueAt_idx" ON "SlaClock"("status", "dueAt");

-- CreateIndex
CREATE INDEX "SlaClock_leadId_kind_idx" ON "SlaClock"("leadId", "kind");

-- CreateIndex
CREATE INDEX "SlaClock_kind_startedAt_idx" ON "SlaClock"("kind", "startedAt");

-- CreateIndex
CREATE INDEX "FunnelEvent_leadId_occurredAt_idx" ON "FunnelEvent"("leadId", "occurredAt");

-- CreateIndex
CREATE INDEX "FunnelEvent_type_occurredAt_idx" ON "FunnelEvent"("type", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "FunnelEvent_source_externalId_key" ON "FunnelEvent"("source", "externalId");

-- CreateIndex
CREATE INDEX "Deal_leadId_idx" ON "Deal"("leadId");

-- CreateIndex
CREATE INDEX "Deal_outcome_closedAt_idx" ON "Deal"("outcome", "closedAt");

-- CreateIndex
CREATE INDEX "Deal_teamId_outcome_idx" ON "Deal"("teamId", "outcome");

-- CreateIndex
CREATE INDEX "Deal_ownerRepId_outcome_idx" ON "Deal"("ownerRepId", "outcome");

-- CreateIndex
CREATE UNIQUE INDEX "MarketingSpend_weekStart_channel_campaign_key" ON "MarketingSpend"("weekStart", "channel", "campaign");

-- CreateIndex
CREATE INDEX "Target_kind_periodStart_idx" ON "Target"("kind", "periodStart");

-- CreateIndex
CREATE INDEX "Target_teamId_kind_periodStart_idx" ON "Target"("teamId", "kind", "periodStart");

-- CreateIndex
CREATE INDEX "Target_repId_kind_periodStart_idx" ON "Target"("repId", "kind", "periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "WeeklyAgenda_teamId_weekStart_key" ON "WeeklyAgenda"("teamId", "weekStart");

-- CreateIndex
CREATE INDEX "ActionItem_teamId_status_idx" ON "ActionItem"("teamId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_idempotencyKey_key" ON "OutboxMessage"("idempotencyKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_conversation_status_idx" ON "OutboxMessage"("conversation", "status");

-- CreateIndex
CREATE INDEX "OutboxMessage_offerId_idx" ON "OutboxMessage"("offerId");

-- CreateIndex
CREATE INDEX "AuditLog_leadId_at_idx" ON "AuditLog"("leadId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationRef_conversation_key" ON "ConversationRef"("conversation");

-- CreateIndex
CREATE UNIQUE INDEX "InboundReceipt_source_key_key" ON "InboundReceipt"("source", "key");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_runKey_key" ON "JobRun"("job", "runKey");

-- AddForeignKey
ALTER TABLE "Rep" ADD CONSTRAINT "Rep_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_ownerRepId_fkey" FOREIGN KEY ("ownerRepId") REFERENCES "Rep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Lead" ADD CONSTRAINT "Lead_duplicateOfId_fkey" FOREIGN KEY ("duplicateOfId") REFERENCES "Lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingDecision" ADD CONSTRAINT "RoutingDecision_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingDecision" ADD CONSTRAINT "RoutingDecision_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingDecision" ADD CONSTRAINT "RoutingDecision_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_routingDecisionId_fkey" FOREIGN KEY ("routingDecisionId") REFERENCES "RoutingDecision"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_candidateRepId_fkey" FOREIGN KEY ("candidateRepId") REFERENCES "Rep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Offer" ADD CONSTRAINT "Offer_decidedByRepId_fkey" FOREIGN KEY ("decidedByRepId") REFERENCES "Rep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlaClock" ADD CONSTRAINT "SlaClock_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FunnelEvent" ADD CONSTRAINT "FunnelEvent_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FunnelEvent" ADD CONSTRAINT "FunnelEvent_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deal" ADD CONSTRAINT "Deal_ownerRepId_fkey" FOREIGN KEY ("ownerRepId") REFERENCES "Rep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Target" ADD CONSTRAINT "Target_repId_fkey" FOREIGN KEY ("repId") REFERENCES "Rep"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WeeklyAgenda" ADD CONSTRAINT "WeeklyAgenda_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_agendaId_fkey" FOREIGN KEY ("agendaId") REFERENCES "WeeklyAgenda"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;
