/**
 * A new lead and everything its arrival writes (routing decision, offer, the rep's round-robin turn, the accept
 * clock, audit entries, the card in the outbox) in ONE statement: a data-modifying CTE. One statement is atomic
 * on its own, so no interactive transaction is needed (no BEGIN and COMMIT round trips), and it is one round trip
 * instead of nine: at hundreds of MQLs a second each round trip through Prisma and the socket costs more CPU than
 * PostgreSQL spends on the rows.
 *
 * The lead is inserted with ON CONFLICT DO NOTHING on its (source, externalId) key, and every other row is inserted
 * FROM the lead's insert: when the lead was already stored (a retry racing the first copy), nothing is written and
 * the statement returns no row. Foreign keys are checked at the end of the statement, after every part ran.
 *
 * Ids are made here (UUIDv7, as Prisma's `uuid(7)` default makes them), so that the card can be rendered from what
 * is in hand before the statement runs. Every value is a parameter with an explicit cast: `INSERT … SELECT` gives
 * PostgreSQL no column to infer a parameter's type from.
 */
import { v7 as uuidv7 } from "uuid";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db, OutboxPayload } from "./outbox.ts";

type Cast = "uuid" | "text" | "int" | "timestamptz" | "jsonb" | `"${string}"`;

/** The columns this writer fills, with their PostgreSQL types. Columns left out take their database default. */
const COLUMNS = {
  Lead: {
    id: "uuid",
    source: "text",
    externalId: "text",
    email: "text",
    firstName: "text",
    lastName: "text",
    company: "text",
    companyDomain: "text",
    title: "text",
    phone: "text",
    country: "text",
    region: "text",
    employees: "int",
    industry: "text",
    score: "int",
    campaign: "text",
    channel: "text",
    notes: "text",
    sourceCreatedAt: "timestamptz",
    rawPayload: "jsonb",
    status: '"LeadStatus"',
    teamId: "text",
    duplicateOfId: "uuid",
    receivedAt: "timestamptz",
    offeredAt: "timestamptz",
    createdAt: "timestamptz",
    updatedAt: "timestamptz",
  },
  RoutingDecision: {
    id: "uuid",
    leadId: "uuid",
    teamId: "text",
    repId: "text",
    ruleId: "text",
    reason: "text",
    attempt: "int",
    decidedAt: "timestamptz",
  },
  Offer: {
    id: "uuid",
    leadId: "uuid",
    teamId: "text",
    routingDecisionId: "uuid",
    candidateRepId: "text",
    conversation: "text",
    createdAt: "timestamptz",
    updatedAt: "timestamptz",
  },
  SlaClock: {
    id: "uuid",
    leadId: "uuid",
    kind: '"SlaKind"',
    policy: "text",
    startedAt: "timestamptz",
    dueAt: "timestamptz",
    nextActionAt: "timestamptz",
    createdAt: "timestamptz",
    updatedAt: "timestamptz",
  },
  AuditLog: {
    id: "uuid",
    at: "timestamptz",
    actor: "text",
    action: "text",
    leadId: "uuid",
    details: "jsonb",
  },
  OutboxMessage: {
    id: "uuid",
    idempotencyKey: "text",
    kind: "text",
    conversation: "text",
    payload: "jsonb",
    nextAttemptAt: "timestamptz",
    leadId: "uuid",
    offerId: "uuid",
    createdAt: "timestamptz",
  },
} as const satisfies Record<string, Record<string, Cast>>;

type Table = keyof typeof COLUMNS;
/** A column's value: text, a number, a Date, JSON (for jsonb columns), or null. */
type SqlValue = unknown;
type RowOf<T extends Table> = { [column in keyof (typeof COLUMNS)[T]]?: SqlValue };

export type LeadRow = RowOf<"Lead"> & { id: string };
export type RoutingDecisionRow = RowOf<"RoutingDecision"> & { id: string };
export type OfferRow = RowOf<"Offer"> & { id: string };
export type SlaClockRow = RowOf<"SlaClock"> & { id: string };
export interface AuditRow {
  actor: string;
  action: string;
  details: object;
}
export interface OutboxRow {
  idempotencyKey: string;
  conversation: string;
  payload: OutboxPayload;
  /** The lead the message belongs to (per-lead delivery order), when not the new lead itself. */
  leadId?: string;
  offerId?: string;
}

export interface IntakeBatch {
  lead: LeadRow;
  routingDecision?: RoutingDecisionRow;
  offer?: OfferRow;
  /** The suggested rep's round-robin turn. */
  repOffered?: { repId: string; at: Date };
  clock?: SlaClockRow;
  /** Audit entries about the new lead, in order. */
  audit: AuditRow[];
  outbox?: OutboxRow;
}

/** A new id, as the schema's `@default(uuid(7))` makes them. */
export const newId = (): string => uuidv7();

function parameter(value: SqlValue, cast: Cast): Prisma.Sql {
  const bound = value === undefined ? null : cast === "jsonb" && value !== null ? JSON.stringify(value) : value;
  return Prisma.sql`${bound}::${Prisma.raw(cast)}`;
}

/** A row's column list and its cast parameters, in the same order; a column this writer does not know throws. */
function columnsAndValues<T extends Table>(table: T, row: RowOf<T>): { columns: Prisma.Sql; values: Prisma.Sql } {
  const types = COLUMNS[table] as Record<string, Cast>;
  const columns = Object.keys(row).filter((column) => row[column as keyof RowOf<T>] !== undefined);
  for (const column of columns) if (!types[column]) throw new Error(`intake batch: no column ${table}.${column}`);
  return {
    columns: Prisma.raw(columns.map((column) => `"${column}"`).join(", ")),
    values: Prisma.join(columns.map((column) => parameter(row[column as keyof RowOf<T>], types[column]))),
  };
}

/** `INSERT INTO "T" (columns) SELECT values FROM new_lead`: written only when the lead was. */
function insertFromNewLead<T extends Table>(table: T, row: RowOf<T>): Prisma.Sql {
  const { columns, values } = columnsAndValues(table, row);
  return Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${columns}) SELECT ${values} FROM new_lead`;
}

/**
 * Writes the batch in one statement; false when a lead with the same (source, externalId) was already stored, in
 * which case nothing was written.
 */
export async function writeIntakeBatch(db: Db, batch: IntakeBatch): Promise<boolean> {
  const now = new Date();
  const lead: LeadRow = { createdAt: now, updatedAt: batch.lead.createdAt ?? now, ...batch.lead };
  const leadInsert = columnsAndValues("Lead", lead);
  const parts: Prisma.Sql[] = [];
  if (batch.routingDecision) parts.push(insertFromNewLead("RoutingDecision", batch.routingDecision));
  if (batch.offer) parts.push(insertFromNewLead("Offer", { ...batch.offer, createdAt: now, updatedAt: now }));
  if (batch.repOffered) {
    parts.push(Prisma.sql`UPDATE "Rep" SET "lastOfferedAt" = ${parameter(batch.repOffered.at, "timestamptz")},
      "updatedAt" = ${parameter(now, "timestamptz")}
      WHERE id = ${parameter(batch.repOffered.repId, "text")} AND EXISTS (SELECT 1 FROM new_lead)`);
  }
  if (batch.clock) parts.push(insertFromNewLead("SlaClock", { ...batch.clock, createdAt: now, updatedAt: now }));
  for (const entry of batch.audit) {
    parts.push(insertFromNewLead("AuditLog", { id: newId(), at: now, leadId: lead.id, ...entry }));
  }
  if (batch.outbox) {
    const { payload, leadId, ...message } = batch.outbox;
    const insert = insertFromNewLead("OutboxMessage", {
      id: newId(),
      ...message,
      kind: payload.kind,
      payload,
      leadId: leadId ?? lead.id,
      nextAttemptAt: now,
      createdAt: now,
    });
    parts.push(Prisma.sql`${insert} ON CONFLICT ("idempotencyKey") DO NOTHING`);
  }
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH new_lead AS (
      INSERT INTO "Lead" (${leadInsert.columns}) VALUES (${leadInsert.values})
      ON CONFLICT (source, "externalId") DO NOTHING
      RETURNING id
    )${
      parts.length > 0
        ? Prisma.sql`, ${Prisma.join(
            parts.map((part, index) => Prisma.sql`${Prisma.raw(`part_${index}`)} AS (${part})`),
            ", ",
          )}`
        : Prisma.empty
    }
    SELECT id::text FROM new_lead`;
  return rows.length === 1;
}
