/**
 * The two statements every MQL runs (intake's read and its one-statement write; accept's write too) sent through
 * `pg` directly on PostgreSQL, rather than through Prisma's raw-query path. Prisma adds nothing to a raw statement
 * but work: at 200 MQL/s its client was a fifth of the server's CPU (about 0.45 ms per MQL for these two) and much
 * of the garbage that outlives V8's young generation, whose full collections make the latency tail. Both paths send
 * the same text on the same pool with the same statement names, and answer the same rows (held equal by
 * test/db/direct-sql.test.ts).
 *
 * Only the root client of a PostgreSQL database has a direct path; a transaction's client, or a client made
 * elsewhere (a test's recording one), goes through Prisma as before, so a statement inside a transaction stays in
 * it.
 */
import type pg from "pg";
import type { Prisma } from "../generated/prisma/client.ts";
import type { StatementNames } from "./prepared-statements.ts";

type Client = object;

export interface DirectSql {
  query<Row>(sql: Prisma.Sql): Promise<Row[]>;
}

const direct = new WeakMap<Client, DirectSql>();

/** Gives `client` (a PrismaClient) a direct path over `pool`, naming statements as its adapter does. */
export function registerDirectSql(client: Client, pool: pg.Pool, statementNames: StatementNames): void {
  direct.set(client, {
    async query<Row>(sql: Prisma.Sql) {
      const text = sql.text;
      const result = await pool.query({ name: statementNames({ sql: text }), text, values: sql.values as unknown[] });
      return result.rows as Row[];
    },
  });
}

/**
 * Runs `sql` on the direct path where `client` has one, else through Prisma's `$queryRaw`: the same rows either
 * way (jsonb parsed, timestamptz as Date, int as number).
 */
export function queryRows<Row>(
  client: Client & { $queryRaw<T = unknown>(query: Prisma.Sql): Prisma.PrismaPromise<T> },
  sql: Prisma.Sql,
): Promise<Row[]> {
  const path = direct.get(client);
  return path ? path.query<Row>(sql) : client.$queryRaw<Row[]>(sql);
}
