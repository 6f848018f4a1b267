/**
 * A fake of Slack's Socket Mode side, on a real local port: the WebSocket Slack hands out from
 * `apps.connections.open`, speaking the documented protocol (a `hello` on connect, envelopes
 * `{ envelope_id, type, payload, accepts_response_payload }`, acknowledgements `{ envelope_id, payload }`, and a
 * `disconnect` before Slack rotates a connection). Like Slack, it resends on the next connection every envelope
 * that was never acknowledged, marked as a retry.
 *
 * It can also answer `POST /api/apps.connections.open` itself (for a Baton in another process, where nock cannot
 * reach); in-process tests let `fakeSlackApi({ socketModeUrl })` answer it instead.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket from "ws";

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Which connection (1, 2, …) it came on. */
  connection: number;
}

export interface FakeSocketMode {
  /** `http://127.0.0.1:<port>/api/`: a SLACK_API_URL whose `apps.connections.open` points at this fake. */
  readonly apiUrl: string;
  /** A fresh `ws://…/link/?ticket=…` URL, as `apps.connections.open` returns one per call. */
  nextUrl(): string;
  /** Connections opened so far (the `hello`s sent). */
  readonly connectionsOpened: number;
  /** Connections open now. */
  openConnections(): number;
  readonly acks: Ack[];
  /** Sends an envelope on the newest open connection and remembers it until it is acknowledged. */
  send(envelope: Envelope): void;
  /** Sends Slack's warning that it is about to close the newest connection. */
  sendDisconnect(reason?: string): void;
  /** Drops the newest connection without a word, as a network failure would. */
  dropConnection(): void;
  /** Resolves once `count` acknowledgements of `envelopeId` have arrived. */
  acksOf(envelopeId: string, count?: number): Promise<Ack[]>;
  /** Resolves once `count` connections have said hello. */
  connections(count: number): Promise<void>;
  /** Answers `apps.connections.open` with this Slack error from now on (`invalid_auth`, …). */
  refuseConnections(error: string): void;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const sockets: { socket: WebSocket; connection: number }[] = [];
  const acks: Ack[] = [];
  const unacknowledged = new Map<string, Envelope>();
  const waiters = new Set<() => void>();
  let connectionsOpened = 0;
  let ticket = 0;
  let refusal: string | undefined;

  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const until = <T>(check: () => T | undefined) =>
    new Promise<T>((resolve) => {
      const attempt = () => {
        const result = check();
        if (result === undefined) return;
        waiters.delete(attempt);
        resolve(result);
      };
      waiters.add(attempt);
      attempt();
    });

  const server = http.createServer((req, res) => {
    if (req.method === "POST" && req.url === "/api/apps.connections.open") {
      const answer = refusal
        ? { ok: false, error: refusal }
        : /^Bearer xapp-/.test(req.headers.authorization ?? "")
          ? { ok: true, url: fake.nextUrl() }
          : { ok: false, error: "not_allowed_token_type" };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocket.Server({ server, path: "/link/" });
  wss.on("connection", (socket) => {
    const connection = ++connectionsOpened;
    sockets.push({ socket, connection });
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (!message.envelope_id) return;
      acks.push({ envelope_id: message.envelope_id, payload: message.payload, connection });
      unacknowledged.delete(message.envelope_id);
      notify();
    });
    socket.on("close", () => {
      sockets.splice(
        sockets.findIndex((entry) => entry.socket === socket),
        1,
      );
      notify();
    });
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: "A0BATON01" },
      }),
    );
    // What Slack does after a rotation: whatever the old connection never acknowledged comes again, as a retry.
    for (const envelope of unacknowledged.values()) {
      const retry = { ...envelope, retry_attempt: (envelope.retry_attempt ?? 0) + 1, retry_reason: "timeout" };
      unacknowledged.set(envelope.envelope_id, retry);
      socket.send(JSON.stringify(retry));
    }
    notify();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const newest = () => {
    const entry = sockets.at(-1);
    if (!entry) throw new Error("fake Socket Mode: no open connection");
    return entry.socket;
  };

  const fake: FakeSocketMode = {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    nextUrl: () => `ws://127.0.0.1:${port}/link/?ticket=${++ticket}`,
    get connectionsOpened() {
      return connectionsOpened;
    },
    openConnections: () => sockets.length,
    acks,
    send(envelope) {
      unacknowledged.set(envelope.envelope_id, envelope);
      newest().send(JSON.stringify(envelope));
    },
    sendDisconnect(reason = "refresh_requested") {
      newest().send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-fake" } }));
    },
    dropConnection() {
      newest().terminate();
    },
    acksOf(envelopeId, count = 1) {
      return until(() => {
        const matching = acks.filter((ack) => ack.envelope_id === envelopeId);
        return matching.length >= count ? matching : undefined;
      });
    },
    connections(count) {
      return until(() => (connectionsOpened >= count ? true : undefined)).then(() => {});
    },
    refuseConnections(error) {
      refusal = error;
    },
    async close() {
      for (const { socket } of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** An envelope as Slack sends one; `payload` is what would have been the HTTP request's body. */
export function envelope(type: EnvelopeType, payload: Record<string, unknown>, envelopeId = randomUUID()): Envelope {
  // Slack lets a slash command or a modal submission be answered on the acknowledgement, not a button click.
  const answerable = type === "slash_commands" || payload.type === "view_submission";
  return { envelope_id: envelopeId, type, payload, accepts_response_payload: answerable };
}
