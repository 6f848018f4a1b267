/**
 * What an arriving MQL needs before anything is written, in ONE statement: whether its (source, externalId) is
 * stored, the person's open lead, and the routing state. As two queries that was two round trips per MQL; at a
 * couple of hundred MQLs a second on a small machine each round trip (the socket writes on both sides, the
 * backend's wake-up, Prisma's mapping) costs more than the database spends on the rows.
 *
 * It answers exactly what the two Prisma queries it replaced answered (held equal by test/intake/intake-context.test.ts
 * on both databases); `loadRoutingState` stays for a re-route, which needs the routing state alone. The route preview
 * reads through it too, so that it sees what an arriving MQL sees. A duplicate reads the routing state for nothing:
 * rare (a retry), and still one round trip.
 */
import { queryRows } from "../db/direct-sql.ts";
import { prepared } from "../db/prepared-statements.ts";
import { OPEN_STATUSES, WORKING_STATUSES } from "../domain/leads/lifecycle.ts";
import { type Lead, Prisma, type Rep, type Team } from "../generated/prisma/client.ts";
import { type IntakeMatches, intakeMatchesOf, type OpenLead } from "../repositories/leads.ts";
import type { Db } from "../repositories/outbox.ts";
import { type RoutingState, roundRobinSinceDay, routingStateOf, type TeamWithRepLoads } from "./offer-lead.ts";

export interface IntakeContext {
  matches: IntakeMatches;
  routing: RoutingState;
}

/** Statuses are constants of the code, written into the SQL as an array literal of the enum. */
const statusArray = (statuses: readonly string[]) =>
  Prisma.raw(`ARRAY[${statuses.map((status) => `'${status}'`).join(", ")}]::"LeadStatus"[]`);

/** JSON carries timestamps as text: these columns are read back as Dates, as Prisma returns them. */
const LEAD_DATES = [
  "sourceCreatedAt",
  "receivedAt",
  "offeredAt",
  "acceptedAt",
  "rejectedAt",
  "firstTouchAt",
  "sqlAt",
  "closedAt",
  "createdAt",
  "updatedAt",
] as const satisfies (keyof Lead)[];
const REP_DATES = ["lastOfferedAt", "createdAt", "updatedAt"] as const satisfies (keyof Rep)[];
const TEAM_DATES = ["createdAt", "updatedAt"] as const satisfies (keyof Team)[];

function withDates<T>(row: Record<string, unknown>, columns: readonly string[]): T {
  const out: Record<string, unknown> = { ...row };
  for (const column of columns) {
    const value = out[column];
    if (typeof value === "string") out[column] = new Date(value);
  }
  return out as T;
}

type JsonRow = Record<string, unknown>;

export async function loadIntakeContext(
  db: Db,
  key: { source: string; externalId: string; email: string },
  now: Date,
): Promise<IntakeContext> {
  const [row] = await queryRows<{ matches: JsonRow[]; teams: JsonRow[] }>(
    db,
    prepared(Prisma.sql`
    SELECT
      (SELECT COALESCE(jsonb_agg(match ORDER BY match."receivedAt" DESC), '[]'::jsonb) FROM (
         SELECT lead.*, to_jsonb(owner) AS owner, to_jsonb(team) AS team
         FROM "Lead" AS lead
           LEFT JOIN "Rep" AS owner ON owner.id = lead."ownerRepId"
           LEFT JOIN "Team" AS team ON team.id = lead."teamId"
         WHERE (lead.source = ${key.source} AND lead."externalId" = ${key.externalId})
            OR (lead.email = ${key.email} AND lead."duplicateOfId" IS NULL AND lead."teamId" IS NOT NULL
                AND lead.status = ANY(${statusArray(OPEN_STATUSES)}))
       ) AS match) AS matches,
      (SELECT COALESCE(jsonb_agg(team), '[]'::jsonb) FROM (
         SELECT team.*, (
           SELECT COALESCE(jsonb_agg(rep), '[]'::jsonb) FROM (
             SELECT rep.*,
               (SELECT count(*) FROM "Lead" AS owned
                 WHERE owned."ownerRepId" = rep.id AND owned.status = ANY(${statusArray(WORKING_STATUSES)}))::int
                 AS "openLeads",
               (SELECT COALESCE(sum(day.offers), 0) FROM "RepOfferDay" AS day
                 WHERE day."repId" = rep.id AND day.day >= ${roundRobinSinceDay(now)}::date)::int AS "recentOffers"
             FROM "Rep" AS rep WHERE rep."teamId" = team.id AND rep.active
           ) AS rep) AS reps
         FROM "Team" AS team WHERE team.active
       ) AS team) AS teams`),
  );
  const { matches, teams } = row as { matches: JsonRow[]; teams: JsonRow[] };
  const leads = matches.map(({ owner, team, ...lead }) => ({
    ...withDates<Lead>(lead, LEAD_DATES),
    owner: owner ? withDates<Rep>(owner as JsonRow, REP_DATES) : null,
    team: team ? withDates<Team>(team as JsonRow, TEAM_DATES) : null,
  })) satisfies OpenLead[];
  const routingRows = teams.map(({ reps, ...team }) => ({
    ...withDates<Team>(team, TEAM_DATES),
    reps: (reps as JsonRow[]).map((rep) => withDates<TeamWithRepLoads["reps"][number]>(rep, REP_DATES)),
  }));
  return { matches: intakeMatchesOf(leads, key), routing: routingStateOf(routingRows) };
}
