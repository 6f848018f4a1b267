/** Leads as the intake stores and finds them: one row per (source, externalId), whichever way the MQL arrived. */
import { OPEN_STATUSES } from "../domain/leads/lifecycle.ts";
import { companyDomainOf, type TMql } from "../domain/leads/mql.ts";
import type { Lead, Prisma, Rep, Team } from "../generated/prisma/client.ts";
import type { Db } from "./outbox.ts";

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

/** Inserts one lead; a second copy of (source, externalId) fails with Prisma's P2002 (the unique index decides). */
export function insertLead(db: Db, row: Prisma.LeadCreateManyInput): Promise<Lead> {
  return db.lead.create({ data: row });
}

/** Inserts many leads at once, skipping those already stored; returns how many were new. */
export async function insertLeadsSkippingDuplicates(db: Db, rows: Prisma.LeadCreateManyInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { count } = await db.lead.createMany({ data: rows, skipDuplicates: true });
  return count;
}

export function findLeadByKey(db: Db, source: string, externalId: string): Promise<Lead | null> {
  return db.lead.findUnique({ where: { source_externalId: { source, externalId } } });
}

export type OpenLead = Lead & { owner: Rep | null; team: Team | null };

/**
 * The person's most recent lead that a team is still working, to link a repeat MQL to. A lead that was never
 * offered to a team (a CSV backfill's history, stored as `new` without routing) is nobody's work: a fresh MQL
 * for that person is routed as usual rather than linked to it, where nobody would hear of it.
 */
export function findOpenLeadByEmail(db: Db, email: string, exceptLeadId: string): Promise<OpenLead | null> {
  return db.lead.findFirst({
    where: {
      email,
      id: { not: exceptLeadId },
      duplicateOfId: null,
      teamId: { not: null },
      status: { in: [...OPEN_STATUSES] },
    },
    orderBy: { receivedAt: "desc" },
    include: { owner: true, team: true },
  });
}

/** Marks `leadId` as a repeat of the open lead `openLeadId`. */
export async function linkToOpenLead(db: Db, leadId: string, openLeadId: string): Promise<void> {
  await db.lead.update({ where: { id: leadId }, data: { duplicateOfId: openLeadId } });
}
