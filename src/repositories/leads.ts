/** Leads as the intake stores and finds them: one row per (source, externalId), whichever way the MQL arrived. */
import { OPEN_STATUSES } from "../domain/leads/lifecycle.ts";
import { companyDomainOf, type TMql } from "../domain/leads/mql.ts";
import type { Lead, Prisma, Rep, Team } from "../generated/prisma/client.ts";
import type { Db } from "./outbox.ts";
import { insertRowsFromJson, newId } from "./sql-batch.ts";

/** The row for a validated MQL; `rawPayload` is the body as received, unknown fields included. */
export function leadRowOf(mql: TMql, rawPayload: unknown, receivedAt: Date): Prisma.LeadCreateManyInput {
  return {
    source: mql.source,
    externalId: mql.externalId,
    email: mql.email,
    firstName: mql.firstName,
    lastName: mql.lastName,
    company: mql.company,
    companyDomain: companyDomainOf(mql.email, mql.website),
    title: mql.title,
    phone: mql.phone,
    country: mql.country,
    region: mql.region,
    employees: mql.employees,
    industry: mql.industry,
    score: mql.score,
    campaign: mql.campaign,
    channel: mql.channel,
    notes: mql.notes,
    sourceCreatedAt: mql.createdAt,
    rawPayload: rawPayload as Prisma.InputJsonValue,
    receivedAt,
  };
}

/** The columns a backfilled lead fills: the MQL's own, and what the database would not default. */
const BACKFILL_COLUMNS = [
  "id",
  "source",
  "externalId",
  "email",
  "firstName",
  "lastName",
  "company",
  "companyDomain",
  "title",
  "phone",
  "country",
  "region",
  "employees",
  "industry",
  "score",
  "campaign",
  "channel",
  "notes",
  "sourceCreatedAt",
  "rawPayload",
  "receivedAt",
  "createdAt",
  "updatedAt",
] as const satisfies (keyof Prisma.LeadCreateManyInput)[];

/**
 * Inserts many leads in one statement, skipping those already stored (any unique key: a (source, externalId) seen
 * before, in the database or earlier in `rows`); returns how many were new.
 */
export async function insertLeadsSkippingDuplicates(db: Db, rows: Prisma.LeadCreateManyInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const now = new Date();
  const stored = rows.map((row) => ({ id: newId(), createdAt: now, updatedAt: now, ...row }));
  return db.$executeRaw`${insertRowsFromJson("Lead", [...BACKFILL_COLUMNS], stored)} ON CONFLICT DO NOTHING`;
}

export function findLeadByKey(db: Db, source: string, externalId: string): Promise<Lead | null> {
  return db.lead.findUnique({ where: { source_externalId: { source, externalId } } });
}

export type OpenLead = Lead & { owner: Rep | null; team: Team | null };

/** What an arriving MQL needs to know first: whether its (source, externalId) is stored, and the person's open lead. */
export interface IntakeMatches {
  stored: Lead | null;
  open: OpenLead | null;
}

/**
 * The MQL's stored lead and the person's open lead among `rows` (newest first): the MQL's own key, or the person's
 * leads that a team is still working. The open lead is the one a repeat MQL is linked to. A lead that was never
 * offered to a team (a CSV backfill's history, stored as `new` without routing) is nobody's work: a fresh MQL for
 * that person is routed as usual rather than linked to it, where nobody would hear of it.
 */
export function intakeMatchesOf(
  rows: OpenLead[],
  key: { source: string; externalId: string; email: string },
): IntakeMatches {
  const isOpenPrimary = (lead: Lead) =>
    lead.email === key.email &&
    lead.duplicateOfId === null &&
    lead.teamId !== null &&
    (OPEN_STATUSES as readonly string[]).includes(lead.status);
  return {
    stored: rows.find((lead) => lead.source === key.source && lead.externalId === key.externalId) ?? null,
    open: rows.find(isOpenPrimary) ?? null,
  };
}

/** The stored lead for a row just written from {@link leadRowOf} (the database's defaults filled in). */
export function storedLeadOf(row: Prisma.LeadCreateManyInput & { id: string; createdAt: Date }): Lead {
  return {
    id: row.id,
    source: row.source,
    externalId: row.externalId,
    email: row.email,
    firstName: row.firstName ?? null,
    lastName: row.lastName ?? null,
    company: row.company ?? null,
    companyDomain: row.companyDomain ?? null,
    title: row.title ?? null,
    phone: row.phone ?? null,
    country: row.country ?? null,
    region: row.region ?? null,
    employees: row.employees ?? null,
    industry: row.industry ?? null,
    score: row.score ?? null,
    campaign: row.campaign ?? null,
    channel: row.channel ?? null,
    notes: row.notes ?? null,
    sourceCreatedAt: row.sourceCreatedAt ? new Date(row.sourceCreatedAt) : null,
    rawPayload: row.rawPayload as Prisma.JsonValue,
    status: row.status ?? "new",
    teamId: row.teamId ?? null,
    ownerRepId: row.ownerRepId ?? null,
    duplicateOfId: row.duplicateOfId ?? null,
    receivedAt: new Date(row.receivedAt ?? row.createdAt),
    offeredAt: row.offeredAt ? new Date(row.offeredAt) : null,
    acceptedAt: null,
    rejectedAt: null,
    firstTouchAt: null,
    sqlAt: null,
    closedAt: null,
    createdAt: row.createdAt,
    updatedAt: row.createdAt,
  };
}
