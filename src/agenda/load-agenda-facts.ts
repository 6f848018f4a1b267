/**
 * Reads what the weekly agenda of one scope (the joint meeting, or one team) is built from. Each query reads only
 * the weeks the agenda looks at (the four-week baseline, the week reviewed, the week ahead) and only the columns
 * it needs. The funnel is counted and ranked in the database (`loadFunnelSummary`: a few dozen rows, not the weeks'
 * leads); the domain (`src/domain/agenda/`) does the statistics, the choosing and the wording.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { type AgendaFacts, JOINT_SCOPE } from "../domain/agenda/agenda-facts.ts";
import { agendaWeeksOf } from "../domain/agenda/agenda-week.ts";
import { findStageSlowdowns, segmentOf } from "../domain/agenda/funnel-stages.ts";
import { computeKpis, mqlTargetForPeriod, quotaForPeriod } from "../domain/kpi/kpi-definitions.ts";
import { personAndCompany, personName } from "../domain/lead-card.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { loadKpiFacts } from "../kpi/load-kpi-report.ts";
import { loadLeadLinks } from "./lead-links.ts";
import { loadAgendaActionItems } from "./load-agenda-action-items.ts";
import { loadFindingLeadIds } from "./load-finding-lead-ids.ts";
import { loadFunnelSummary } from "./load-funnel-summary.ts";

export interface AgendaTarget {
  scope: string;
  team: { id: string; name: string; timezone: string } | null;
}

/** The scope's team (or none for the joint agenda) and its time zone. */
export function agendaTimezone(config: BatonConfig, target: AgendaTarget): string {
  return target.team?.timezone ?? config.agenda.timezone ?? config.timezone;
}

export async function loadAgendaFacts(
  prisma: PrismaClient,
  config: BatonConfig,
  target: AgendaTarget,
  weekStart: string,
): Promise<AgendaFacts> {
  const timezone = agendaTimezone(config, target);
  const weeks = agendaWeeksOf(weekStart, timezone);
  const reviewed = { start: weeks.reviewedWeek.start, end: weeks.reviewedWeek.end };
  const teamId = target.team?.id;
  const leadScope = teamId ? { teamId } : {};
  const since = weeks.baseline.start;

  const scope = teamId ? { team: teamId } : {};
  // Independent reads, issued together: on PostgreSQL they run side by side on the pool (over a million leads the
  // agenda is bench/kpi.ts's slowest request); PGlite takes them in turn, as before.
  const [
    anyLead,
    funnel,
    deals,
    untouched,
    breaches,
    rejects,
    mqlsReviewedWeek,
    kpiFacts,
    kpiFactsBefore,
    actionItems,
  ] = await Promise.all([
    prisma.lead.findFirst({ where: { ...leadScope, duplicateOfId: null }, select: { id: true } }),
    loadFunnelSummary(prisma, { teamId, reviewed, baseline: weeks.baseline }),
    prisma.deal.findMany({
      where: { outcome: "open", ...leadScope },
      select: {
        id: true,
        leadId: true,
        name: true,
        amount: true,
        currency: true,
        stage: true,
        closeDate: true,
        owner: { select: { name: true } },
        lead: {
          select: { company: true, firstName: true, lastName: true, email: true, owner: { select: { name: true } } },
        },
      },
      orderBy: { amount: "desc" },
      take: 200,
    }),
    prisma.lead.findMany({
      // Accepted within the weeks the agenda looks at: a lead untouched for months is a lost lead, not an opportunity.
      where: { ...leadScope, status: "accepted", firstTouchAt: null, acceptedAt: { gte: since } },
      select: {
        id: true,
        firstName: true,
        lastName: true,
        email: true,
        company: true,
        score: true,
        acceptedAt: true,
        owner: { select: { name: true } },
      },
      orderBy: { acceptedAt: "asc" },
      take: 200,
    }),
    prisma.slaClock.findMany({
      where: { status: "breached", breachedAt: { gte: reviewed.start, lt: reviewed.end }, lead: leadScope },
      select: {
        leadId: true,
        kind: true,
        lead: { select: { owner: { select: { name: true } }, team: { select: { name: true } } } },
      },
    }),
    prisma.offer.findMany({
      where: { status: "rejected", decidedAt: { gte: reviewed.start, lt: reviewed.end }, ...leadScope },
      select: { leadId: true, rejectReason: true, lead: { select: { region: true } } },
    }),
    prisma.lead.count({
      where: { ...leadScope, duplicateOfId: null, receivedAt: { gte: reviewed.start, lt: reviewed.end } },
    }),
    loadKpiFacts(prisma, weeks.reviewedWeek, scope),
    loadKpiFacts(prisma, weeks.weekBeforeReviewed, scope),
    loadAgendaActionItems(prisma, { scope: target.scope, weekStart, timezone }),
  ]);
  const kpisOf = (facts: typeof kpiFacts, period: typeof weeks.reviewedWeek) =>
    computeKpis(facts, {
      quota: quotaForPeriod(config.targets.quotas, period, scope),
      mqlTarget: mqlTargetForPeriod(config.targets.weeklyMqls, period.days, scope),
    });

  // The leads the funnel findings name, for the findings kept only; then where the cards of the leads an item can
  // name are (not of every lead that moved in the week).
  const findingLeadIds = await loadFindingLeadIds(prisma, { teamId, reviewed }, findStageSlowdowns(funnel));
  const leadLinks = await loadLeadLinks(prisma, [
    ...deals.map((deal) => deal.leadId),
    ...untouched.map((lead) => lead.id),
    ...breaches.map((breach) => breach.leadId),
    ...rejects.map((reject) => reject.leadId),
    ...Object.values(findingLeadIds).flat(),
  ]);

  return {
    scope: target.scope,
    team: target.team ? { id: target.team.id, name: target.team.name } : null,
    organization: config.organization,
    marketingName: config.marketing?.name ?? "Marketing",
    timezone,
    weekStart,
    thisWeek: { start: weeks.thisWeek.start, end: weeks.thisWeek.end },
    reviewedWeek: reviewed,
    baseline: weeks.baseline,
    hasLeads: anyLead !== null,
    funnel,
    findingLeadIds,
    openDeals: deals.map((deal) => ({
      dealId: deal.id,
      leadId: deal.leadId,
      name: deal.name ?? deal.lead.company ?? personName(deal.lead),
      amount: Number(deal.amount),
      currency: deal.currency,
      stage: deal.stage,
      ownerName: deal.owner?.name ?? deal.lead.owner?.name ?? null,
      closeDate: deal.closeDate ? deal.closeDate.toISOString().slice(0, 10) : null,
    })),
    untouchedLeads: untouched.map((lead) => ({
      leadId: lead.id,
      label: personAndCompany(lead),
      score: lead.score,
      ownerName: lead.owner?.name ?? null,
      acceptedAt: lead.acceptedAt as Date,
    })),
    slaBreaches: breaches.map((breach) => ({
      leadId: breach.leadId,
      kind: breach.kind,
      repName: breach.lead.owner?.name ?? null,
      teamName: breach.lead.team?.name ?? null,
    })),
    rejects: rejects.map((reject) => ({
      leadId: reject.leadId,
      segment: segmentOf(reject.lead.region),
      reason: reject.rejectReason ?? "other",
    })),
    mqlsReviewedWeek,
    weeklyMqlTarget: target.scope === JOINT_SCOPE ? (config.targets.weeklyMqls ?? null) : null,
    kpis: {
      current: kpisOf(kpiFacts, weeks.reviewedWeek),
      previous: kpisOf(kpiFactsBefore, weeks.weekBeforeReviewed),
    },
    actionItems,
    leadLinks,
  };
}
