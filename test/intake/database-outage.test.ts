/**
 * PostgreSQL going away under intake, for real: Baton reaches the test PostgreSQL through a TCP proxy this test
 * starts, and cuts (every open connection dropped, new ones refused) and restores. While it is cut, each MQL gets
 * 503 and nothing of it is stored; when the cut falls in the middle of requests, every lead stored is whole (its
 * routing decision, offer, clock and card all there, or nothing); once the database is back Baton serves again by
 * itself, and the senders' retries store each MQL once.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { createTestDatabase, POSTGRES_ADMIN_URL } from "../support/databases.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";
import { INTAKE_SECRET, postSigned } from "./intake-support.ts";

/** A TCP proxy in front of PostgreSQL that can be cut and restored. */
async function startCuttableProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let open = true;
  /** Commits Baton may still send before the cut falls (undefined: no cut armed). */
  let cutAfter: number | undefined;
  const cut = () => {
    open = false;
    cutAfter = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  const server = net.createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) sockets.add(socket);
    const close = () => {
      for (const socket of [client, upstream]) {
        socket.destroy();
        sockets.delete(socket);
      }
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      // An MQL's lead and everything with it are written by one statement (a commit of its own): that write goes
      // through, but its answer is lost, so that request is refused though its lead is stored (its sender's retry
      // then gets "duplicate"); every other request in flight is cut half-way.
      if (cutAfter !== undefined && chunk.includes('INSERT INTO "Lead"') && --cutAfter <= 0) setImmediate(cut);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut,
    /** Cuts right after Baton's `writes`-th next lead write: in the middle of whatever else it is doing. */
    cutAfterLeadWrites(writes: number) {
      cutAfter = writes;
    },
    restore() {
      open = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const mql = (n: number) => ({
  source: "hubspot",
  externalId: `outage-${n}`,
  email: `lead-${n}@analytical.example`,
  firstName: "Ada",
  region: "EMEA",
});

describe.skipIf(!POSTGRES_ADMIN_URL)("PostgreSQL stopped during intake [postgres]", () => {
  let direct: Database | undefined;
  let t: TestBaton | undefined;
  let proxy: Awaited<ReturnType<typeof startCuttableProxy>> | undefined;
  afterEach(async () => {
    proxy?.restore();
    await t?.stop().catch(() => {});
    await proxy?.close();
    await direct?.close();
    t = undefined;
    proxy = undefined;
    direct = undefined;
  });

  /** Every stored lead with what intake writes beside it, read past the proxy. */
  async function storedLeads() {
    const leads = await (direct as Database).prisma.lead.findMany({
      include: { offers: true, routingDecisions: true, slaClocks: true },
    });
    const posts = await (direct as Database).prisma.outboxMessage.findMany({ where: { kind: "post" } });
    return leads.map((lead) => ({
      externalId: lead.externalId,
      whole:
        lead.routingDecisions.length === 1 &&
        lead.offers.length === 1 &&
        lead.slaClocks.length === 1 &&
        posts.filter((post) => post.leadId === lead.id).length === 1,
    }));
  }

  it("503 for each MQL while it is gone, nothing half-written, and serving again by itself when it is back", async () => {
    direct = await createTestDatabase("postgres");
    const url = new URL((direct.migrationTarget as { databaseUrl: string }).databaseUrl);
    proxy = await startCuttableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    const proxied = await openDatabase({ kind: "postgres", url: url.toString() });
    t = await startTestBaton({ db: proxied, env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET } });
    const send = (n: number) => postSigned(t?.url as string, mql(n));

    expect((await send(1)).status).toBe(202);

    // Gone: every MQL is refused with 503 (the sender retries), and readiness says so.
    proxy.cut();
    for (const n of [2, 3, 4]) {
      const answer = await send(n);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ error: "unavailable" });
    }
    expect((await fetch(`${t.url}/readyz`)).status).toBe(503);
    expect(await storedLeads()).toEqual([{ externalId: "outage-1", whole: true }]);

    // Back: Baton needs no restart.
    proxy.restore();
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      ready = (await fetch(`${t.url}/readyz`)).status;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(200);
    for (const n of [2, 3, 4]) expect((await send(n)).body).toMatchObject({ status: "created" });

    // Cut while ten MQLs are in flight: each answer is 202 or 503, and whatever was stored is whole.
    proxy.cutAfterLeadWrites(3);
    const inFlight = Array.from({ length: 10 }, (_, i) => send(10 + i));
    const answers = await Promise.all(inFlight);
    for (const answer of answers) expect([202, 503]).toContain(answer.status);
    // The cut fell in the middle: some were stored before it, some were not.
    expect(answers.filter((answer) => answer.status === 202).length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((answer) => answer.status === 503).length).toBeGreaterThanOrEqual(1);
    const afterCut = await storedLeads();
    expect(afterCut.every((lead) => lead.whole)).toBe(true);
    for (const [i, answer] of answers.entries()) {
      if (answer.status === 202) expect(afterCut.map((lead) => lead.externalId)).toContain(`outage-${10 + i}`);
    }

    // The senders retry every one once the database is back: each stored once, whole.
    proxy.restore();
    for (let i = 0; i < 10; i++) {
      let answer = await send(10 + i);
      for (let retry = 0; retry < 50 && answer.status === 503; retry++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await send(10 + i);
      }
      expect(answer.status).toBe(202);
    }
    const all = await storedLeads();
    expect(all).toHaveLength(14);
    expect(all.every((lead) => lead.whole)).toBe(true);
  }, 120_000);
});
