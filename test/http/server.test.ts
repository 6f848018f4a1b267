import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpApp, DEFAULT_SERVER_TIMEOUTS, listen, type RunningServer } from "../../src/http/server.ts";
import { createLogger } from "../../src/logger.ts";

const logger = createLogger("silent");
let running: RunningServer | undefined;

afterEach(async () => {
  await running?.close(100);
  running = undefined;
});

async function start(options: {
  isReady?: () => Promise<boolean>;
  mounts?: Parameters<typeof createHttpApp>[0]["mounts"];
  connections?: Parameters<typeof createHttpApp>[0]["connections"];
}) {
  const app = createHttpApp({
    logger,
    isReady: options.isReady ?? (async () => true),
    mounts: options.mounts ?? [],
    connections: options.connections,
  });
  running = await listen(app, 0, "127.0.0.1");
  return `http://127.0.0.1:${running.port}`;
}

describe("HTTP server", () => {
  it("answers /healthz with 200", async () => {
    const base = await start({ isReady: async () => false });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz with 503 while the database does not answer, 200 once it does", async () => {
    let ready = false;
    const base = await start({ isReady: async () => ready });
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it("answers /readyz with 503 naming a connection that is down (Slack's Socket Mode), 200 once it is up", async () => {
    let connected = false;
    const base = await start({ connections: [{ name: "slack", isConnected: () => connected }] });
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "not connected: slack" });
    connected = true;
    const up = await fetch(`${base}/readyz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: "ready" });
  });

  it("answers an unknown route with a JSON 404", async () => {
    const base = await start({});
    const response = await fetch(`${base}/no/such/thing`, { method: "POST" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(await response.json()).toMatchObject({ error: "not_found" });
  });

  it("lets a request in flight finish when closing, and then refuses new connections", async () => {
    let requestArrived!: () => void;
    const arrived = new Promise<void>((resolve) => {
      requestArrived = resolve;
    });
    const base = await start({
      mounts: [
        (app) =>
          app.get("/slow", (_req, res) => {
            requestArrived();
            setTimeout(() => res.json({ finished: true }), 300);
          }),
      ],
    });
    const inFlight = fetch(`${base}/slow`);
    await arrived;
    const server = running as RunningServer;
    running = undefined;
    const closed = server.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    await closed;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

describe("slow clients", () => {
  /** Connects, sends `first`, and resolves with everything the server wrote once it closes the connection. */
  function trickle(port: number, first: string) {
    const socket = net.connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    socket.on("data", (chunk) => received.push(chunk));
    socket.write(first);
    return new Promise<string>((resolve) => socket.once("close", () => resolve(Buffer.concat(received).toString())));
  }

  it("closes connections that trickle their headers or body with 408", async () => {
    const app = createHttpApp({
      logger,
      isReady: async () => true,
      mounts: [(express) => express.post("/echo", (req, res) => req.on("end", () => res.end("done")).resume())],
    });
    running = await listen(app, 0, "127.0.0.1", {
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
      keepAliveTimeoutMs: 200,
      checkIntervalMs: 50,
    });
    const [headers, body] = await Promise.all([
      trickle(running.port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n"),
      trickle(running.port, "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nonly a few bytes"),
    ]);
    expect(headers).toMatch(/^HTTP\/1\.1 408 /);
    expect(body).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("uses limits well below a minute by default", () => {
    expect(DEFAULT_SERVER_TIMEOUTS.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(DEFAULT_SERVER_TIMEOUTS.requestTimeoutMs).toBeLessThanOrEqual(30_000);
  });
});
