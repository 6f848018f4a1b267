/**
 * Routes a stored lead and offers it to the chosen team, inside the caller's transaction: routing decision, offer,
 * the accept clock, the lead's new status and the card in the outbox commit together or not at all.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { renderLeadCard } from "../domain/lead-card.ts";
import { WORKING_STATUSES } from "../domain/leads/lifecycle.ts";
import { type RoutingPolicy, routeLead, type TeamState } from "../domain/routing/route-lead.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { leadCardView, loadLeadForCard } from "../handoff/lead-card-view.ts";
import { workingScheduleFor } from "../handoff/working-schedule.ts";
import { enqueueOutbox } from "../repositories/outbox.ts";
import { slaPolicyForTeam, startSlaClock } from "../sla/sla-clocks.ts";

/** How far back the round-robin remembers offers. */
const ROUND_ROBIN_WINDOW_MS = 7 * 24 * 3600_000;

export function routingPolicyOf(config: BatonConfig): RoutingPolicy {
  return {
    segments: config.routing.segments,
    namedAccounts: config.routing.namedAccounts,
    rules: config.routing.rules,
    fallbackTeam: config.routing.fallbackTeam,
  };
}

/** The teams and reps as the router needs them: capacity use and recent offers per rep. */
export async function loadTeamStates(tx: Prisma.TransactionClient, now: Date): Promise<TeamState[]> {
  const teams = await tx.team.findMany({ where: { active: true }, include: { reps: { where: { active: true } } } });
  const since = new Date(now.getTime() - ROUND_ROBIN_WINDOW_MS);
  // Sequential on purpose: a transaction is one connection, and pg refuses overlapping queries on it.
  const open = await tx.lead.groupBy({
    by: ["ownerRepId"],
    where: { status: { in: [...WORKING_STATUSES] }, ownerRepId: { not: null } },
    _count: { _all: true },
  });
  const recent = await tx.offer.groupBy({
    by: ["candidateRepId"],
    where: { createdAt: { gte: since }, candidateRepId: { not: null } },
    _count: { _all: true },
  });
  const openByRep = new Map(open.map((row) => [row.ownerRepId, row._count._all]));
  const recentByRep = new Map(recent.map((row) => [row.candidateRepId, row._count._all]));
  return teams.map((team) => ({
    id: team.id,
    name: team.name,
    reps: team.reps.map((rep) => ({
      id: rep.id,
      name: rep.name,
      teamId: team.id,
      capacity: rep.capacity,
      away: rep.status === "away",
      openLeads: openByRep.get(rep.id) ?? 0,
      recentOffers: recentByRep.get(rep.id) ?? 0,
      lastOfferedAt: rep.lastOfferedAt,
      schedule: workingScheduleFor(team, rep),
    })),
  }));
}

export interface RouteAndOfferInput {
  leadId: string;
  config: BatonConfig;
  now: Date;
  excludeTeamIds?: string[];
  attempt?: number;
}

export interface OfferOutcome {
  offerId: string;
  teamId: string;
  teamName: string;
  reason: string;
}

/** Routes the lead and writes its offer; null when every team has already been tried. */
export async function routeAndOfferLead(
  tx: Prisma.TransactionClient,
  input: RouteAndOfferInput,
): Promise<OfferOutcome | null> {
  const lead = await tx.lead.findUniqueOrThrow({ where: { id: input.leadId } });
  const teams = await loadTeamStates(tx, input.now);
  const decision = routeLead(lead, routingPolicyOf(input.config), teams, {
    now: input.now,
    excludeTeamIds: input.excludeTeamIds,
  });
  if (!decision) return null;
  const team = await tx.team.findUniqueOrThrow({ where: { id: decision.teamId } });
  const routing = await tx.routingDecision.create({
    data: {
      leadId: lead.id,
      teamId: team.id,
      repId: decision.repId,
      ruleId: decision.ruleId,
      reason: decision.reason,
      attempt: input.attempt ?? 1,
      decidedAt: input.now,
    },
  });
  const offer = await tx.offer.create({
    data: {
      leadId: lead.id,
      teamId: team.id,
      routingDecisionId: routing.id,
      candidateRepId: decision.repId,
      conversation: team.conversation,
    },
  });
  await tx.lead.update({
    where: { id: lead.id },
    data: { status: "offered", teamId: team.id, offeredAt: input.now, ownerRepId: null, acceptedAt: null },
  });
  if (decision.repId) await tx.rep.update({ where: { id: decision.repId }, data: { lastOfferedAt: input.now } });

  await startSlaClock(tx, {
    leadId: lead.id,
    kind: "accept",
    policy: slaPolicyForTeam(input.config, team.id),
    schedule: workingScheduleFor(team),
    at: input.now,
  });
  await tx.auditLog.create({
    data: {
      actor: "system",
      action: "lead.routed",
      leadId: lead.id,
      details: { teamId: team.id, repId: decision.repId, ruleId: decision.ruleId, reason: decision.reason },
    },
  });
  const loaded = await loadLeadForCard(tx, lead.id);
  if (!loaded) throw new Error("lead vanished inside its own transaction");
  await enqueueOutbox(tx, {
    idempotencyKey: `offer:${offer.id}:post`,
    conversation: team.conversation,
    payload: { kind: "post", message: renderLeadCard(leadCardView(loaded)) },
    leadId: lead.id,
    offerId: offer.id,
  });
  return { offerId: offer.id, teamId: team.id, teamName: team.name, reason: decision.reason };
}
