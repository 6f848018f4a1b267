/**
 * Prepared statements for the embedded database. PGlite's `query()` sends every statement unnamed, in five
 * exchanges with the WASM PostgreSQL (parse, describe, bind, describe, execute, then sync), so each run is parsed,
 * analysed and planned again, and PGlite runs on the same thread as the server. For an accept on this machine that
 * was 11 ms of the thread per click: the lead read Prisma builds with relation joins (9 KB of SQL) took 4.3 ms, of
 * which PostgreSQL spent under 0.7 executing it. Named, a statement is parsed once, its plan is cached (re-planned by
 * PostgreSQL itself when ANALYZE or a schema change makes it stale), and each later run is one exchange: bind,
 * execute, sync. The same accept: 6 ms; the lead read 1.1 ms.
 *
 * A text is prepared the second time it runs (a one-off, such as a backfill's batch of a size seen once, is not
 * worth a plan kept for the session), or at once when marked {@link PREPARED_MARKER}. At most
 * {@link MAX_PREPARED} stay prepared; the least recently used is closed to make room.
 *
 * This leans on PGlite internals as pinned in package.json (its query and transaction locks, `_runExclusiveQuery`
 * and `_runExclusiveTransaction`, and its protocol parser's messages): test/db/pglite-statement-cache.test.ts holds
 * the results equal to `query()`'s.
 */
import { type PGlite, parse, protocol, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";
import { PREPARED_MARKER } from "./prepared-statements.ts";

export const MAX_PREPARED = 256;
/** Texts remembered as seen once; past this the memory starts over (a text then needs two more runs). */
const MAX_SEEN = 4_096;

type BackendMessage = Awaited<ReturnType<PGlite["execProtocolStream"]>>[number];

interface PreparedStatement {
  name: string;
  paramTypes: number[];
  /** Described once at preparation: the rows of later runs are parsed against it. */
  rowDescription?: BackendMessage;
}

/** The internals this relies on, typed here once. */
interface PgliteInternals {
  serializers: Record<number, (value: unknown) => string>;
  parsers: Record<number, (value: string, typeId?: number) => unknown>;
  _checkReady(): Promise<void>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolStream(message: Uint8Array, options: { syncToFs?: boolean }): Promise<BackendMessage[]>;
  syncToFs(): Promise<void>;
}

/** Names are unique in the process, so that two caches over one session can never take each other's. */
let statementCount = 0;

const { serialize } = protocol;

function concat(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** The statement is gone from the session (DISCARD ALL, DEALLOCATE), or its result's shape changed (a migration). */
function isStalePreparedStatement(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === "26000" || (code === "0A000" && /cached plan must not change result type/.test(message ?? ""));
}

/**
 * `pglite` for a Prisma adapter, with its parameterised queries (inside transactions too) run as prepared
 * statements. Everything else passes through unchanged.
 */
export function withStatementCache(pglite: PGlite, maxPrepared = MAX_PREPARED): PGlite {
  const internals = pglite as unknown as PgliteInternals;
  const prepared = new Map<string, PreparedStatement>();
  const seen = new Set<string>();

  /** Whether this run goes prepared: a parameterised statement without a blob, marked or seen before. */
  function runsPrepared(sql: string, params: unknown[], options: QueryOptions | undefined): boolean {
    if (params.length === 0 || options?.blob) return false;
    if (prepared.has(sql) || sql.startsWith(PREPARED_MARKER) || seen.has(sql)) return true;
    if (seen.size >= MAX_SEEN) seen.clear();
    seen.add(sql);
    return false;
  }

  /** Runs under the query lock. */
  async function prepare(sql: string): Promise<PreparedStatement> {
    const evicted: PreparedStatement[] = [];
    while (prepared.size >= maxPrepared) {
      const [oldestText, oldest] = prepared.entries().next().value as [string, PreparedStatement];
      prepared.delete(oldestText);
      evicted.push(oldest);
    }
    const name = `baton_pglite_${++statementCount}`;
    const messages = await internals.execProtocolStream(
      concat([
        ...evicted.map((statement) => serialize.close({ type: "S", name: statement.name })),
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: "S", name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const statement: PreparedStatement = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      rowDescription: messages.find((message) => message.name === "rowDescription"),
    };
    prepared.set(sql, statement);
    return statement;
  }

  /** Runs under the query lock. */
  async function execute(sql: string, params: unknown[], options: QueryOptions | undefined): Promise<Results> {
    let statement = prepared.get(sql);
    if (statement) {
      // Most recently used last: eviction takes the first.
      prepared.delete(sql);
      prepared.set(sql, statement);
    } else {
      statement = await prepare(sql);
    }
    const { paramTypes, rowDescription } = statement;
    const values = params.map((param, index) => {
      if (param === null || param === undefined) return null;
      const serializer = options?.serializers?.[paramTypes[index]] ?? internals.serializers[paramTypes[index]];
      return serializer ? serializer(param) : String(param);
    });
    const messages = await internals.execProtocolStream(
      concat([serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()]),
      { syncToFs: false },
    );
    return parse.parseResults(rowDescription ? [rowDescription, ...messages] : messages, internals.parsers, options)[0];
  }

  async function rootQuery(sql: string, params: unknown[] = [], options?: QueryOptions) {
    if (!runsPrepared(sql, params, options)) return pglite.query(sql, params, options);
    await internals._checkReady();
    try {
      return await internals._runExclusiveTransaction(() =>
        internals._runExclusiveQuery(async () => {
          const results = await execute(sql, params, options);
          await internals.syncToFs();
          return results;
        }),
      );
    } catch (error) {
      if (!isStalePreparedStatement(error)) throw error;
      prepared.delete(sql);
      return pglite.query(sql, params, options);
    }
  }

  function transactionQuery(tx: Transaction) {
    return async (sql: string, params: unknown[] = [], options?: QueryOptions) => {
      if (tx.closed || !runsPrepared(sql, params, options)) {
        return tx.query(sql, params, options);
      }
      try {
        return await internals._runExclusiveQuery(() => execute(sql, params, options));
      } catch (error) {
        // Inside a transaction a failed statement aborts it: no retry, only no second failure.
        if (isStalePreparedStatement(error)) prepared.delete(sql);
        throw error;
      }
    };
  }

  const overrides: Record<PropertyKey, unknown> = {
    query: rootQuery,
    transaction: <T>(callback: (tx: Transaction) => Promise<T>) =>
      pglite.transaction((tx) => {
        const query = transactionQuery(tx);
        return callback(
          new Proxy(tx, {
            get: (target, property) => (property === "query" ? query : Reflect.get(target, property, target)),
          }),
        );
      }),
  };
  return new Proxy(pglite, {
    get(target, property) {
      if (property in overrides) return overrides[property];
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
