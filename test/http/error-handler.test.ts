import { PGlite } from "@electric-sql/pglite";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { wrapPglite } from "../../src/db/embedded-database.ts";
import { AppError } from "../../src/errors.ts";
import { createHttpApp, listen, type RunningServer } from "../../src/http/server.ts";
import { createLogger } from "../../src/logger.ts";

const logger = createLogger("silent");
let running: RunningServer | undefined;

afterEach(async () => {
  await running?.close(100);
  running = undefined;
});

/** A server with an echo route parsing JSON up to 1 MiB (as the webhooks do) and one that throws what it's told. */
async function start(isReady: () => Promise<boolean> = async () => true) {
  const app = createHttpApp({
    logger,
    isReady,
    mounts: [
      (app) => {
        app.post("/echo", express.json({ limit: "1mb" }), (req, res) => {
          res.json(req.body);
        });
        app.get("/throws/app-error", () => {
          throw new AppError("CONFLICT", {
            message: "lead L1 is already accepted (internal detail)",
            userMessage: "This lead was already accepted.",
            details: { leadId: "L1" },
          });
        });
        app.get("/throws/bug", () => {
          throw new Error("TypeError deep inside: cannot read secret-internal-thing");
        });
      },
    ],
  });
  running = await listen(app, 0, "127.0.0.1");
  return `http://127.0.0.1:${running.port}`;
}

const postJson = (url: string, body: string) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });

describe("errorHandler", () => {
  it("answers a body over 1 MiB with 413", async () => {
    const base = await start();
    const response = await postJson(`${base}/echo`, JSON.stringify({ blob: "x".repeat(1024 * 1024 + 1) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: "payload_too_large",
      message: "Request body is larger than 1 MiB.",
    });
  });

  it("answers a body that is not JSON with 400, and accepts one that is", async () => {
    const base = await start();
    const bad = await postJson(`${base}/echo`, '{"source": "hubspot",');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "invalid_input", message: "Request body is not valid JSON." });
    const good = await postJson(`${base}/echo`, '{"source": "hubspot"}');
    expect(good.status).toBe(200);
  });

  it("maps an AppError's code to its status and shows its user message and details", async () => {
    const base = await start();
    const response = await fetch(`${base}/throws/app-error`);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: "conflict",
      message: "This lead was already accepted.",
      details: { leadId: "L1" },
    });
  });

  it("answers an unexpected error with a generic 500, never the error's text or stack", async () => {
    const base = await start();
    const response = await fetch(`${base}/throws/bug`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ error: "internal" });
    expect(text).not.toContain("secret-internal-thing");
    expect(text).not.toContain("at ");
  });
});

describe("/readyz on a real database", () => {
  it("is 200 while PGlite answers and 503 once it is closed", async () => {
    const pglite = await PGlite.create("memory://");
    const db = wrapPglite(pglite);
    try {
      const base = await start(() => db.isReady(1_000));
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      await pglite.close();
      const response = await fetch(`${base}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "database unavailable" });
    } finally {
      await db.close().catch(() => {});
    }
  });
});
