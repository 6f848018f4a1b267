import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { type Database, migrateOnStartup, openDatabase } from "../../src/db/database.ts";

/** A TCP port that accepts connections and never says a word, like a firewalled or wrong database port. */
let silentServer: net.Server;
let silentUrl: string;
const sockets = new Set<net.Socket>();
beforeAll(async () => {
  silentServer = net.createServer((socket) => {
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => silentServer.listen(0, "127.0.0.1", resolve));
  silentUrl = `postgresql://baton:db-s3cret@127.0.0.1:${(silentServer.address() as net.AddressInfo).port}/baton`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silentServer.close(resolve));
});

describe("a PostgreSQL server that does not answer", () => {
  let db: Database | undefined;
  afterAll(() => db?.close());

  it("stops start-up with a message naming DATABASE_URL (password masked) instead of hanging", async () => {
    const options = { kind: "postgres" as const, url: silentUrl };
    db = await openDatabase(options);
    const failure = await migrateOnStartup(db, options).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^DATABASE_URL: cannot migrate postgresql:\/\/baton:\*\*\*@127\.0\.0\.1:\d+\/baton: /);
    expect(message).toMatch(/timeout/i);
    expect(message).not.toContain("db-s3cret");
    expect(message).not.toContain("\n");
    expect(await db.isReady(500)).toBe(false);
  });
});
