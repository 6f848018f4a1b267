/**
 * Routes a lead and offers it to the chosen team: routing decision, offer, the accept clock, the lead's new status,
 * the audit entries and the card in the outbox commit together or not at all. A new lead's offer is written in one
 * statement with the lead (`receive-mql.ts`); a re-route writes it here, inside the caller's transaction.
 */
import type { BatonConfig } from "../config/baton-config.ts";
import { renderLeadCard } from "../domain/lead-card.ts";
import { WORKING_STATUSES } from "../domain/leads/lifecycle.ts";
import {
  type RoutableLead,
  type RoutingDecision,
  type RoutingPolicy,
  routeLead,
  type TeamState,
} from "../domain/routing/route-lead.ts";
import type {
  Lead,
  Offer,
  Prisma,
  Rep,
  RoutingDecision as RoutingDecisionRecord,
  Team,
} from "../generated/prisma/client.ts";
import { leadCardView, loadLeadForCard } from "../handoff/lead-card-view.ts";
import { workingScheduleFor } from "../handoff/working-schedule.ts";
import { newId } from "../repositories/intake-batch.ts";
import { type Db, enqueueOutbox } from "../repositories/outbox.ts";
import { slaClockRow, slaPolicyForTeam } from "../sla/sla-clocks.ts";

/**
 * How far back the round-robin remembers offers: the last seven days, counted in whole UTC days (today and the
 * seven before it) from the per-day counts the database keeps (`RepOfferDay`).
 */
const ROUND_ROBIN_WINDOW_DAYS = 7;
const DAY_MS = 24 * 3600_000;

export function routingPolicyOf(config: BatonConfig): RoutingPolicy {
  return {
    segments: config.routing.segments,
    namedAccounts: config.routing.namedAccounts,
    rules: config.routing.rules,
    fallbackTeam: config.routing.fallbackTeam,
  };
}

/** The active teams and reps, as stored and as the router sees them (capacity use and recent offers per rep). */
export interface RoutingState {
  teams: Map<string, Team & { reps: Rep[] }>;
  states: TeamState[];
}

/** A team as the routing state is read: its active reps, each with its open leads and recent offers counted. */
export type TeamWithRepLoads = Team & { reps: (Rep & { openLeads: number; recentOffers: number })[] };

/** The first UTC day of the round-robin's memory at `now`. */
export function roundRobinSinceDay(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS - ROUND_ROBIN_WINDOW_DAYS) * DAY_MS);
}

/** The routing state in one query: teams, their active reps, and each rep's open leads and recent offers. */
export async function loadRoutingState(tx: Db, now: Date): Promise<RoutingState> {
  const rows = await tx.team.findMany({
    where: { active: true },
    include: {
      reps: {
        where: { active: true },
        include: {
          _count: { select: { ownedLeads: { where: { status: { in: [...WORKING_STATUSES] } } } } },
          offerDays: { where: { day: { gte: roundRobinSinceDay(now) } }, select: { offers: true } },
        },
      },
    },
  });
  return routingStateOf(
    rows.map((row) => ({
      ...row,
      reps: row.reps.map(({ _count, offerDays, ...rep }) => ({
        ...rep,
        openLeads: _count.ownedLeads,
        recentOffers: offerDays.reduce((sum, day) => sum + day.offers, 0),
      })),
    })),
  );
}

/** The routing state of teams as read, for the router and for what the caller stores and shows. */
export function routingStateOf(rows: TeamWithRepLoads[]): RoutingState {
  const teams = new Map<string, Team & { reps: Rep[] }>();
  const states = rows.map(({ reps: loadedReps, ...row }) => {
    const reps = loadedReps.map(({ openLeads, recentOffers, ...rep }) => ({ rep, openLeads, recentOffers }));
    teams.set(row.id, { ...row, reps: reps.map(({ rep }) => rep) });
    return {
      id: row.id,
      name: row.name,
      reps: reps.map(({ rep, openLeads, recentOffers }) => ({
        id: rep.id,
        name: rep.name,
        teamId: row.id,
        capacity: rep.capacity,
        away: rep.status === "away",
        openLeads,
        recentOffers,
        lastOfferedAt: rep.lastOfferedAt,
        schedule: workingScheduleFor(row, rep),
      })),
    };
  });
  return { teams, states };
}

/** Where a lead goes, and the stored team and suggested rep behind that decision. */
export interface Route {
  decision: RoutingDecision;
  team: Team;
  rep: Rep | null;
}

/** Routes a lead over a loaded routing state; null when every team has already been tried. */
export function chooseRoute(
  lead: RoutableLead,
  state: RoutingState,
  options: { config: BatonConfig; now: Date; excludeTeamIds?: string[] },
): Route | null {
  const decision = routeLead(lead, routingPolicyOf(options.config), state.states, {
    now: options.now,
    excludeTeamIds: options.excludeTeamIds,
  });
  if (!decision) return null;
  const team = state.teams.get(decision.teamId) as Team & { reps: Rep[] };
  return { decision, team, rep: team.reps.find((rep) => rep.id === decision.repId) ?? null };
}

export interface OfferOutcome {
  offerId: string;
  teamId: string;
  teamName: string;
  reason: string;
}

/**
 * The rows an offer of a lead to `route.team` writes: the routing decision, the offer, the accept clock and the
 * "routed" audit entry, with their ids. Shared by the one-statement intake of a new lead and by {@link writeOffer}.
 */
export function offerRowsOf(input: { leadId: string; route: Route; config: BatonConfig; now: Date; attempt: number }) {
  const { leadId, route, now } = input;
  const { decision, team } = route;
  const routingDecision = {
    id: newId(),
    leadId,
    teamId: team.id,
    repId: decision.repId ?? null,
    ruleId: decision.ruleId,
    reason: decision.reason,
    attempt: input.attempt,
    decidedAt: now,
  } satisfies RoutingDecisionRecord;
  const offer = {
    id: newId(),
    leadId,
    teamId: team.id,
    routingDecisionId: routingDecision.id,
    candidateRepId: decision.repId ?? null,
    conversation: team.conversation,
  };
  const clock = {
    id: newId(),
    ...slaClockRow({
      leadId,
      kind: "accept",
      policy: slaPolicyForTeam(input.config, team.id),
      schedule: workingScheduleFor(team),
      at: now,
    }),
  };
  const routed = {
    actor: "system",
    action: "lead.routed",
    details: { teamId: team.id, repId: decision.repId, ruleId: decision.ruleId, reason: decision.reason },
  };
  return { routingDecision, offer, clock, routed };
}

/** The offer row as the database holds it right after the insert (defaults filled in), for rendering the card. */
export function pendingOffer(row: ReturnType<typeof offerRowsOf>["offer"], at: Date): Offer {
  return {
    ...row,
    status: "pending",
    messageRef: null,
    postedAt: null,
    decidedAt: null,
    decidedByRepId: null,
    decidedByUser: null,
    rejectReason: null,
    rejectComment: null,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Writes the offer of a stored lead whose row already says `offered` to `route.team` (a re-route): the routing
 * decision, the offer, the rep's round-robin turn, the accept clock, the audit and the card, read back with what
 * the lead already had (earlier offers, its history).
 */
export async function writeOffer(
  tx: Prisma.TransactionClient,
  input: { lead: Lead; route: Route; config: BatonConfig; now: Date; attempt: number },
): Promise<OfferOutcome> {
  const { lead, route, now } = input;
  const { decision, team } = route;
  const rows = offerRowsOf({ leadId: lead.id, route, config: input.config, now, attempt: input.attempt });
  await tx.routingDecision.create({ data: rows.routingDecision });
  const offer = await tx.offer.create({ data: rows.offer });
  if (decision.repId) await tx.rep.update({ where: { id: decision.repId }, data: { lastOfferedAt: now } });
  await tx.slaClock.create({ data: rows.clock });
  await tx.auditLog.createMany({ data: [{ ...rows.routed, leadId: lead.id }] });
  const card = await loadLeadForCard(tx, lead.id);
  if (!card) throw new Error("lead vanished inside its own transaction");
  await enqueueOutbox(tx, {
    idempotencyKey: `offer:${offer.id}:post`,
    conversation: team.conversation,
    payload: { kind: "post", message: renderLeadCard(leadCardView(card)) },
    leadId: lead.id,
    offerId: offer.id,
  });
  return { offerId: offer.id, teamId: team.id, teamName: team.name, reason: decision.reason };
}

export interface RouteAndOfferInput {
  leadId: string;
  config: BatonConfig;
  now: Date;
  excludeTeamIds?: string[];
  attempt?: number;
}

/** Routes a stored lead again (a re-route after a rejection) and writes its offer; null when no team is left. */
export async function routeAndOfferLead(
  tx: Prisma.TransactionClient,
  input: RouteAndOfferInput,
): Promise<OfferOutcome | null> {
  const stored = await tx.lead.findUniqueOrThrow({ where: { id: input.leadId } });
  const route = chooseRoute(stored, await loadRoutingState(tx, input.now), input);
  if (!route) return null;
  const lead = await tx.lead.update({
    where: { id: stored.id },
    data: { status: "offered", teamId: route.team.id, offeredAt: input.now, ownerRepId: null, acceptedAt: null },
  });
  return writeOffer(tx, {
    lead,
    route,
    config: input.config,
    now: input.now,
    attempt: input.attempt ?? 1,
  });
}
