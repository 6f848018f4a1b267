/**
 * Hostile and broken requests found by probing the running server (issue 14), kept as fixtures: each is the
 * sender's fault and must be answered 4xx naming the problem, never 500 or 503, and nothing may be stored.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { signBatonRequest } from "../../src/intake/verify-signature.ts";
import { createLogger } from "../../src/logger.ts";
import { startTestBaton, type TestBaton } from "../support/start-baton.ts";
import { ADA, INTAKE_SECRET, postSigned, prepareTestDatabases } from "./intake-support.ts";

prepareTestDatabases(["pglite"]);

interface HostileCase {
  name: string;
  field: string;
  body: Record<string, unknown>;
}
const FIXTURE = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../fixtures/hostile/intake-bodies.json");
const fixtures = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as { mql: HostileCase[]; crm: HostileCase[] };

/** `{ "a": { "a": … 3,000 deep … } }` inside an otherwise valid MQL. */
function deeplyNested(depth: number): string {
  return `{"source":"web","externalId":"deep","email":"deep@example.com","extra":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger("info", destination), lines };
}

async function countStored(baton: TestBaton) {
  const prisma = baton.db.prisma;
  return {
    leads: await prisma.lead.count(),
    funnelEvents: await prisma.funnelEvent.count(),
    outbox: await prisma.outboxMessage.count(),
  };
}

describe("hostile intake bodies", () => {
  let baton: TestBaton;
  afterEach(async () => {
    await baton?.stop();
  });

  it("answers every MQL PostgreSQL could not store with 400 naming the field, and stores nothing", async () => {
    baton = await startTestBaton({ env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET } });
    for (const hostile of fixtures.mql) {
      const answer = await postSigned(baton.url, hostile.body);
      expect({ case: hostile.name, status: answer.status }).toEqual({ case: hostile.name, status: 400 });
      expect(Object.keys(answer.body.details as object), hostile.name).toContain(hostile.field);
      // The same bytes again: still 400 (a poison message is never "retry later").
      expect((await postSigned(baton.url, hostile.body)).status, hostile.name).toBe(400);
    }
    const deep = await postSigned(baton.url, deeplyNested(3_000));
    expect(deep.status).toBe(400);
    expect(deep.body.message).toMatch(/nested more than 64 levels deep/);
    expect(await countStored(baton)).toEqual({ leads: 0, funnelEvents: 0, outbox: 0 });
  });

  it("answers every CRM event PostgreSQL could not store with 400 naming the field, and changes nothing", async () => {
    baton = await startTestBaton({ env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET } });
    const created = await postSigned(baton.url, ADA);
    await baton.baton.handoff.acceptLead(created.body.leadId as string, { user: "console:ada" });
    const before = await countStored(baton);
    for (const hostile of fixtures.crm) {
      const answer = await postSigned(baton.url, hostile.body, { path: "/webhooks/crm" });
      expect({ case: hostile.name, status: answer.status }).toEqual({ case: hostile.name, status: 400 });
      expect(Object.keys(answer.body.details as object), hostile.name).toContain(hostile.field);
    }
    expect(await countStored(baton)).toEqual(before);
    // The largest amount the column holds is accepted.
    const largest = await postSigned(
      baton.url,
      {
        source: "salesforce",
        externalId: "amt-max",
        type: "won",
        lead: { email: "ada@example.com" },
        amount: 999_999_999_999.99,
      },
      { path: "/webhooks/crm" },
    );
    expect(largest.status).toBe(202);
  });
});

describe("CRM idempotency key reused for a different event", () => {
  let baton: TestBaton;
  afterEach(async () => {
    await baton?.stop();
  });

  it("answers 409 naming what differs, while a true retry stays a 202 duplicate", async () => {
    baton = await startTestBaton({ env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET } });
    const ada = await postSigned(baton.url, ADA);
    const other = await postSigned(baton.url, { ...ADA, externalId: "67890", email: "grace@example.com" });
    await baton.baton.handoff.acceptLead(ada.body.leadId as string, { user: "console:ada" });
    await baton.baton.handoff.acceptLead(other.body.leadId as string, { user: "console:ada" });
    const send = (body: unknown) => postSigned(baton.url, body, { path: "/webhooks/crm" });
    const first = { source: "salesforce", externalId: "evt-1", type: "sql", lead: { email: "ada@example.com" } };
    expect((await send(first)).status).toBe(202);
    expect((await send(first)).body).toEqual({ status: "duplicate", leadId: ada.body.leadId });

    const otherType = await send({ ...first, type: "first_touch" });
    expect(otherType.status).toBe(409);
    expect(otherType.body.message).toBe(
      'externalId "evt-1" from salesforce was already used for a different event: type (stored: sql) differ. Send a new externalId for a new event.',
    );
    expect(otherType.body.details).toEqual({ conflict: "idempotency_key_reused", fields: ["type (stored: sql)"] });

    const otherLead = await send({ ...first, lead: { email: "grace@example.com" } });
    expect(otherLead.status).toBe(409);
    expect(otherLead.body.details).toEqual({ conflict: "idempotency_key_reused", fields: ["lead"] });
    // A lead that does not exist under a used key is the same conflict, not a 404.
    expect((await send({ ...first, lead: { email: "nobody@example.com" } })).status).toBe(409);
    expect(await baton.db.prisma.funnelEvent.count()).toBe(1);
  });
});

describe("unreadable request bodies", () => {
  let baton: TestBaton;
  afterEach(async () => {
    await baton?.stop();
  });

  /** The signature covers the body as Baton reads it: after decompression. */
  const signedRaw = (raw: Buffer | string, headers: Record<string, string>, signed: Buffer | string = raw) => {
    const timestamp = Math.floor(Date.now() / 1000);
    return fetch(`${baton.url}/webhooks/mql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-baton-timestamp": String(timestamp),
        "x-baton-signature": signBatonRequest(INTAKE_SECRET, timestamp, signed),
        ...headers,
      },
      body: raw,
    });
  };

  it("answers an unknown or doubled Content-Encoding 415 and a corrupt gzip body 400", async () => {
    baton = await startTestBaton({ env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET } });
    const unknown = await signedRaw(JSON.stringify(ADA), { "content-encoding": "snappy" });
    expect(unknown.status).toBe(415);
    expect(((await unknown.json()) as { error: string }).error).toBe("unsupported_media_type");
    const doubled = await signedRaw(gzipSync(gzipSync(JSON.stringify(ADA))), { "content-encoding": "gzip, gzip" });
    expect(doubled.status).toBe(415);
    const corrupt = gzipSync(JSON.stringify(ADA)).subarray(0, 30);
    const broken = await signedRaw(Buffer.concat([corrupt, Buffer.from("not gzip at all")]), {
      "content-encoding": "gzip",
    });
    expect(broken.status).toBe(400);
    expect(await countStored(baton)).toEqual({ leads: 0, funnelEvents: 0, outbox: 0 });
    // A well-formed gzip body still works.
    const gzipped = await signedRaw(gzipSync(JSON.stringify(ADA)), { "content-encoding": "gzip" }, JSON.stringify(ADA));
    expect(gzipped.status).toBe(202);
  });

  it("does not log a client hanging up mid-body as an unhandled error", async () => {
    const { logger, lines } = capturingLogger();
    baton = await startTestBaton({ env: { INTAKE_SIGNING_SECRET: INTAKE_SECRET }, logger });
    const socket = net.connect(baton.server.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(
      'POST /webhooks/mql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"source":',
    );
    // The request has reached Express once pino-http has seen it; then hang up.
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await new Promise<void>((resolve) => {
      const check = () =>
        lines.some((line) => line.msg === "request aborted" || line.msg === "request completed")
          ? resolve()
          : setTimeout(check, 20);
      check();
    });
    expect(lines.filter((line) => line.msg === "unhandled error")).toEqual([]);
  });
});
