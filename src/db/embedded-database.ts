/**
 * The embedded database (PGlite) behind Baton's database interface. Its own module, imported only when PGlite is
 * used (`openDatabase` without DATABASE_URL, tests, the bench), so that a server on PostgreSQL never loads it.
 */
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.ts";
import type { Database } from "./database.ts";
import { withStatementCache } from "./pglite-statement-cache.ts";
import { ping } from "./ping.ts";

/**
 * PGlite's start-up arguments with 32 MB of shared buffers instead of PostgreSQL's default 128 MB: the buffers live
 * in the WASM heap, and at 128 MB the embedded server idled at 600–980 MiB RSS; one process's working set fits in
 * 32 MB (about 490 MiB idle, see bench/README.md).
 */
export const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

/** Wraps an open PGlite (a data dir, memory, or a test clone) in Baton's database interface. */
export function wrapPglite(pglite: PGlite): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(withStatementCache(pglite)) });
  return {
    prisma,
    kind: "pglite",
    migrationTarget: { pglite },
    isReady: (timeoutMs) => ping(prisma, timeoutMs),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
