/**
 * Writes that must all happen or none, as ONE data-modifying statement (a CTE) instead of an interactive
 * transaction: one round trip instead of one per row plus BEGIN and COMMIT. At hundreds of requests a second each
 * round trip through Prisma and the socket (or, on the embedded database, through PGlite's protocol in the server's
 * own thread) costs more than the database spends on the rows.
 *
 * Every such statement has a **gate**: its first part, whose RETURNING decides whether anything else is written
 * (the new lead's insert, ON CONFLICT DO NOTHING; the offer's claim, `WHERE status = 'pending'`). Every other part
 * reads the gate (`INSERT … SELECT … FROM gate`, `UPDATE … WHERE EXISTS (SELECT 1 FROM gate)`), so a gate that
 * returns no row writes nothing. Foreign keys and deferred triggers are checked at the end of the statement, after
 * every part ran.
 *
 * Every value is a parameter with an explicit cast: `INSERT … SELECT` gives PostgreSQL no column to infer a
 * parameter's type from. Ids are made here (UUIDv7, as Prisma's `uuid(7)` default makes them), so that what a
 * caller shows (a card) can be built from what is in hand before the statement runs.
 */
import { v7 as uuidv7 } from "uuid";
import { queryRows } from "../db/direct-sql.ts";
import { prepared } from "../db/prepared-statements.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db, OutboxPayload } from "./outbox.ts";

type Cast = "uuid" | "text" | "int" | "timestamptz" | "jsonb" | `"${string}"`;

/**
 * The columns these writers fill, with their PostgreSQL types. Columns left out take their database default. A
 * column missing here throws when a writer uses it; a column renamed in the schema fails the writers' tests on both
 * databases.
 */
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
    ownerRepId: "text",
    duplicateOfId: "uuid",
    receivedAt: "timestamptz",
    offeredAt: "timestamptz",
    acceptedAt: "timestamptz",
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
    status: '"OfferStatus"',
    conversation: "text",
    decidedAt: "timestamptz",
    decidedByRepId: "text",
    decidedByUser: "text",
    createdAt: "timestamptz",
    updatedAt: "timestamptz",
  },
  SlaClock: {
    id: "uuid",
    leadId: "uuid",
    kind: '"SlaKind"',
    policy: "text",
    status: '"SlaStatus"',
    startedAt: "timestamptz",
    dueAt: "timestamptz",
    metAt: "timestamptz",
    breachedAt: "timestamptz",
    stoppedAt: "timestamptz",
    minutesLate: "int",
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
  Rep: {
    id: "text",
    lastOfferedAt: "timestamptz",
    updatedAt: "timestamptz",
  },
} as const satisfies Record<string, Record<string, Cast>>;

export type Table = keyof typeof COLUMNS;
/** A column's value: text, a number, a Date, JSON (for jsonb columns), or null. Undefined leaves the column out. */
type SqlValue = unknown;
export type RowOf<T extends Table> = { [column in keyof (typeof COLUMNS)[T]]?: SqlValue };

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
  /** The lead the message belongs to (per-lead delivery order), when not the batch's own lead. */
  leadId?: string;
  offerId?: string;
}

/** A new id, as the schema's `@default(uuid(7))` makes them. */
export const newId = (): string => uuidv7();

function parameter(value: SqlValue, cast: Cast): Prisma.Sql {
  const bound = value === undefined ? null : cast === "jsonb" && value !== null ? JSON.stringify(value) : value;
  return Prisma.sql`${bound}::${Prisma.raw(cast)}`;
}

function typesOf(table: Table, columns: string[]): Cast[] {
  const types = COLUMNS[table] as Record<string, Cast>;
  return columns.map((column) => {
    const type = types[column];
    if (!type) throw new Error(`SQL batch: no column ${table}.${column}`);
    return type;
  });
}

const definedColumns = (row: Record<string, SqlValue>) => Object.keys(row).filter((key) => row[key] !== undefined);
const quoted = (names: string[]) => Prisma.raw(names.map((name) => `"${name}"`).join(", "));
const tableName = (table: Table) => Prisma.raw(`"${table}"`);

/** `INSERT INTO "T" (columns) VALUES (…)`: the plain insert a gate can be. */
export function insertValues<T extends Table>(table: T, row: RowOf<T>): Prisma.Sql {
  const columns = definedColumns(row);
  const types = typesOf(table, columns);
  const values = Prisma.join(columns.map((column, i) => parameter(row[column as keyof RowOf<T>], types[i])));
  return Prisma.sql`INSERT INTO ${tableName(table)} (${quoted(columns)}) VALUES (${values})`;
}

/**
 * `INSERT INTO "T" (columns) SELECT … FROM (VALUES …) WHERE EXISTS (SELECT 1 FROM gate)`: the rows, in this order
 * (a serial column such as the outbox's `sequence` numbers them so), written only when the gate returned a row.
 * The rows may fill different columns; a column some row leaves out is NULL in that row.
 */
export function insertRowsAfter<T extends Table>(gate: string, table: T, rows: RowOf<T>[]): Prisma.Sql {
  const columns = [...new Set(rows.flatMap((row) => definedColumns(row)))];
  const types = typesOf(table, columns);
  const values = rows.map(
    (row) =>
      Prisma.sql`(${Prisma.join(columns.map((column, i) => parameter(row[column as keyof RowOf<T>], types[i])))})`,
  );
  return Prisma.sql`INSERT INTO ${tableName(table)} (${quoted(columns)})
    SELECT * FROM (VALUES ${Prisma.join(values)}) AS row_values
    WHERE EXISTS (SELECT 1 FROM ${Prisma.raw(gate)})`;
}

/**
 * `INSERT INTO "T" (columns) SELECT … FROM jsonb_to_recordset($1)`: many rows as ONE parameter, a JSON array,
 * rather than a parameter per value. For a thousand rows of thirty columns that is one value to bind instead of
 * thirty thousand, which is what Prisma's `createMany` spends most of its time on. Every row must fill the same
 * columns (`columns`); a row's missing value is NULL. Dates travel as ISO strings, which PostgreSQL reads back
 * exactly (to the millisecond, as stored).
 */
export function insertRowsFromJson<T extends Table>(
  table: T,
  columns: (keyof (typeof COLUMNS)[T] & string)[],
  rows: RowOf<T>[],
): Prisma.Sql {
  const types = typesOf(table, columns);
  const recordType = Prisma.raw(columns.map((column, i) => `"${column}" ${types[i]}`).join(", "));
  return Prisma.sql`INSERT INTO ${tableName(table)} (${quoted(columns)})
    SELECT ${quoted(columns)} FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS row_values(${recordType})`;
}

/**
 * The outbox messages, in delivery order, written when the gate returned a row; a message whose idempotency key is
 * already stored is skipped. A message without a lead of its own belongs to `leadId`.
 */
export function insertOutboxAfter(gate: string, messages: OutboxRow[], leadId: string, now: Date): Prisma.Sql {
  const rows = messages.map(({ payload, ...message }) => ({
    id: newId(),
    ...message,
    leadId: message.leadId ?? leadId,
    kind: payload.kind,
    payload,
    nextAttemptAt: now,
    createdAt: now,
  }));
  return Prisma.sql`${insertRowsAfter(gate, "OutboxMessage", rows)} ON CONFLICT ("idempotencyKey") DO NOTHING`;
}

/** `UPDATE "T" SET … WHERE id = $id [AND condition] AND EXISTS (SELECT 1 FROM gate)`. */
export function updateAfter<T extends Table>(
  gate: string,
  table: T,
  id: { column?: string; value: string; cast: Cast },
  set: RowOf<T>,
  condition: Prisma.Sql = Prisma.empty,
): Prisma.Sql {
  const columns = definedColumns(set);
  const types = typesOf(table, columns);
  const assignments = Prisma.join(
    columns.map(
      (column, i) => Prisma.sql`${Prisma.raw(`"${column}"`)} = ${parameter(set[column as keyof RowOf<T>], types[i])}`,
    ),
  );
  return Prisma.sql`UPDATE ${tableName(table)} SET ${assignments}
    WHERE ${Prisma.raw(`"${id.column ?? "id"}"`)} = ${parameter(id.value, id.cast)} ${condition}
      AND EXISTS (SELECT 1 FROM ${Prisma.raw(gate)})`;
}

/**
 * Runs `gate` and `parts` as one statement, `WITH gate AS (… RETURNING id), part_0 AS (…), …`; true when the gate
 * returned a row (everything was written), false when it did not (nothing was).
 */
export async function writeGated(db: Db, gate: { name: string; statement: Prisma.Sql }, parts: Prisma.Sql[]) {
  const rest = parts.map((part, index) => Prisma.sql`, ${Prisma.raw(`part_${index}`)} AS (${part})`);
  const rows = await queryRows<{ id: string }>(
    db,
    prepared(Prisma.sql`
    WITH ${Prisma.raw(gate.name)} AS (${gate.statement} RETURNING id)${rest.length > 0 ? Prisma.join(rest, "") : Prisma.empty}
    SELECT id::text FROM ${Prisma.raw(gate.name)}`),
  );
  return rows.length === 1;
}
