/**
 * Server-side prepared statements for Baton's hottest SQL on PostgreSQL: intake's read, and the one-statement
 * writes of intake and accept (sql-batch.ts). Sent unnamed, as Prisma sends everything, each is parsed, analysed
 * and planned again by PostgreSQL every time: at 200 MQLs a second that was about a third of the database's CPU
 * (perf on the backends: parser, analyser and planner beside an execution of a fraction of a millisecond). Named,
 * a connection parses a statement once and PostgreSQL caches its plan, re-planning by itself when ANALYZE or a
 * schema change makes the plan stale.
 *
 * Only statements that start with {@link PREPARED_MARKER} are named, and only the first {@link MAX_NAMED_TEXTS}
 * distinct texts: each named statement stays in every connection that ran it for the connection's life, so the set
 * must stay small. Texts past the limit run unnamed, as before. The embedded database (PGlite) ignores names.
 */
import { Prisma } from "../generated/prisma/client.ts";

/** A leading SQL comment, so that the statement's text says why it is named (also in pg_stat_activity). */
export const PREPARED_MARKER = "/* baton:prepared */";

/**
 * Distinct texts a process names. Intake and accept write a few shapes each (which optional columns a lead or an
 * offer fills); the limit bounds what a shape nobody foresaw can cost each connection.
 */
export const MAX_NAMED_TEXTS = 64;

/** `sql`, marked to run as a named prepared statement on PostgreSQL. */
export function prepared(sql: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(PREPARED_MARKER)} ${sql}`;
}

/** A statement's name for its text: undefined runs it unnamed. */
export type StatementNames = (query: { sql: string }) => string | undefined;

/**
 * The statement names for @prisma/adapter-pg's `statementNameGenerator`: a stable name per marked text, the same
 * on every connection; undefined (unnamed, as without a generator) for everything else.
 */
export function preparedStatementNames(limit = MAX_NAMED_TEXTS): StatementNames {
  const names = new Map<string, string>();
  return ({ sql }) => {
    if (!sql.startsWith(PREPARED_MARKER)) return undefined;
    let name = names.get(sql);
    if (name === undefined && names.size < limit) {
      name = `baton_${names.size + 1}`;
      names.set(sql, name);
    }
    return name;
  };
}
