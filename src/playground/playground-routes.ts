/**
 * The playground's HTTP side: the page at `/`, its assets, the live feed (server-sent events) and the endpoints its
 * forms call. Mounted on Baton's one server, like every other route, and answering this machine only.
 *
 * Why a check per request rather than a second listener on 127.0.0.1: Baton keeps one server on one port (the
 * contract), the page's "send an MQL" must reach the real intake on that same server, and `localhost` may resolve
 * to ::1 as well as 127.0.0.1. So every playground request must come from a loopback address (as seen through a
 * local reverse proxy, like the intake's unsigned webhooks), name a loopback host (no DNS rebinding), and a POST
 * must be JSON from this page's own origin (another site open in the same browser cannot drive it).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Express, type Request, type RequestHandler, type Response } from "express";
import type { AnswerCommand } from "../commands/answer-command.ts";
import type { BatonConfig } from "../config/baton-config.ts";
import { AppError } from "../errors.ts";
import type { HandoffService } from "../handoff/handoff-types.ts";
import { formatRoutePreview, previewRoute } from "../intake/preview-route.ts";
import { isLoopback, signBatonRequest } from "../intake/verify-signature.ts";
import type { Logger } from "../logger.ts";
import type { Db } from "../repositories/outbox.ts";
import { DEAL_FORM_SUBMITTED } from "../teams/render-adaptive-card.ts";
import { actOnCard } from "./act-on-card.ts";
import { describeConversation, listConversations } from "./conversations.ts";
import type { FeedEntry, PlaygroundFeed } from "./playground-feed.ts";
import { renderPlaygroundPage } from "./playground-page.ts";
import { renderFeedEntry } from "./render-feed-entry.ts";
import { runPlaygroundCommand } from "./run-playground-command.ts";

export interface PlaygroundDeps {
  feed: PlaygroundFeed;
  handoff: HandoffService;
  db: Db;
  batonConfig: () => BatonConfig;
  intakeSigningSecret: string | undefined;
  /** The `/baton` box: the command grammar every platform shares. */
  answerCommand: AnswerCommand;
  logger: Logger;
  now?: () => Date;
}

export interface Playground {
  mount(app: Express): void;
  /** Ends the open event streams, so that the server can stop without waiting for browsers to leave. */
  close(): void;
}

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");
const require = createRequire(import.meta.url);
/** Microsoft's renderer, served from node_modules: the page loads nothing from elsewhere. */
const ADAPTIVE_CARDS_DIR = path.dirname(require.resolve("adaptivecards/dist/adaptivecards.min.js"));

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return undefined;
  }
}

/** Refuses anything that is not this machine's own browser on this page (see the module comment). */
export const localOnly: RequestHandler = (req, _res, next) => {
  const forbidden = (message: string) => next(new AppError("FORBIDDEN", { message }));
  if (!isLoopback(req.ip ?? req.socket.remoteAddress)) {
    return forbidden("The playground answers requests from this machine only.");
  }
  const host = hostnameOf(req.get("host"));
  if (!host || !(LOOPBACK_HOSTS.has(host) || host.endsWith(".localhost"))) {
    return forbidden("Open the playground as http://localhost:PORT/.");
  }
  if (req.method === "POST") {
    const origin = req.get("origin");
    if (origin && hostnameOf(URL.canParse(origin) ? new URL(origin).host : undefined) !== host) {
      return forbidden("Cross-site requests are refused.");
    }
    if (!req.is("application/json")) return forbidden("The playground's endpoints take JSON only.");
  }
  next();
};

const text = (value: unknown, name: string): string => {
  if (typeof value !== "string") throw new AppError("INVALID_INPUT", { message: `${name} must be a string.` });
  return value;
};

const parseJsonText = (value: string, what: string): unknown => {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new AppError("INVALID_INPUT", { message: `${what} is not valid JSON: ${(error as Error).message}` });
  }
};

export function createPlayground(deps: PlaygroundDeps): Playground {
  const now = deps.now ?? (() => new Date());
  const streams = new Set<Response>();
  const json = express.json({ limit: "1mb" });
  const describe = (id: string) => describeConversation(id, listConversations(deps.batonConfig()));
  const eventOf = (entry: FeedEntry) =>
    `id: ${entry.seq}\nevent: message\ndata: ${JSON.stringify({
      seq: entry.seq,
      conversation: entry.ref.conversation,
      messageId: entry.ref.messageId,
      threadOf: entry.threadOf ?? null,
      kind: entry.kind,
      isLeadCard: entry.message.blocks.some((block) => block.type === "actions"),
      label: describe(entry.ref.conversation).label,
      conversationKind: describe(entry.ref.conversation).kind,
      html: renderFeedEntry(entry, describe).value,
    })}\n\n`;

  const repOf = (id: unknown) => {
    const rep = deps
      .batonConfig()
      .teams.flatMap((team) => team.reps)
      .find((candidate) => candidate.id === id);
    if (!rep) throw new AppError("INVALID_INPUT", { message: `No rep "${String(id)}" in the configuration.` });
    return { id: rep.id, name: rep.name };
  };

  /** Posts the MQL to this same server's intake webhook, signed as a marketing system would sign it. */
  async function sendToIntake(req: Request, body: string): Promise<{ status: number; answer: unknown }> {
    const address = req.socket.localAddress ?? "127.0.0.1";
    const host =
      address.includes(":") && !address.startsWith("::ffff:") ? `[${address}]` : address.replace("::ffff:", "");
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (deps.intakeSigningSecret) {
      const timestamp = String(Math.floor(now().getTime() / 1000));
      headers["x-baton-timestamp"] = timestamp;
      headers["x-baton-signature"] = signBatonRequest(deps.intakeSigningSecret, timestamp, body);
    }
    const response = await fetch(`http://${host}:${req.socket.localPort}/webhooks/mql`, {
      method: "POST",
      headers,
      body,
    });
    return { status: response.status, answer: await response.json().catch(() => null) };
  }

  const asyncRoute =
    (handler: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    (req, res, next) => {
      handler(req, res).catch(next);
    };

  return {
    mount(app) {
      app.get("/", localOnly, (_req, res) => {
        res
          .type("html")
          .set("content-security-policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
          .send(
            renderPlaygroundPage({
              config: deps.batonConfig(),
              entries: deps.feed.all(),
              lastSeq: deps.feed.lastSeq(),
            }),
          );
      });
      app.use("/playground/assets", localOnly, express.static(ASSETS_DIR, { index: false }));
      app.get("/playground/assets/adaptivecards.min.js", localOnly, (_req, res) => {
        res.sendFile(path.join(ADAPTIVE_CARDS_DIR, "adaptivecards.min.js"));
      });
      app.get("/playground/assets/adaptivecards.css", localOnly, (_req, res) => {
        res.sendFile(path.join(ADAPTIVE_CARDS_DIR, "adaptivecards.css"));
      });

      app.get("/playground/events", localOnly, (req, res) => {
        const after = Number(req.get("last-event-id") ?? req.query.after ?? 0) || 0;
        res.set({ "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
        res.flushHeaders();
        res.write("retry: 1000\n\n");
        // Whatever changed between the page's rendering (or the last event seen) and now.
        for (const entry of deps.feed.changedSince(after)) res.write(eventOf(entry));
        const unsubscribe = deps.feed.subscribe((entry) => res.write(eventOf(entry)));
        streams.add(res);
        req.on("close", () => {
          unsubscribe();
          streams.delete(res);
        });
      });

      app.post(
        "/playground/mql",
        localOnly,
        json,
        asyncRoute(async (req, res) => {
          const { status, answer } = await sendToIntake(req, text(req.body?.mql, "mql"));
          res.status(200).json({ status, answer });
        }),
      );

      app.post(
        "/playground/actions",
        localOnly,
        json,
        asyncRoute(async (req, res) => {
          const body = req.body ?? {};
          const answer = await actOnCard(deps.handoff, {
            action: text(body.action, "action"),
            leadId: text(body.leadId, "leadId"),
            rep: repOf(body.rep),
            reason: typeof body.reason === "string" && body.reason ? body.reason : undefined,
            comment: typeof body.comment === "string" ? body.comment : undefined,
            deal: {
              amount: typeof body.amount === "string" ? body.amount : undefined,
              currency: typeof body.currency === "string" ? body.currency : undefined,
              submitted: body.form === DEAL_FORM_SUBMITTED,
            },
            view: body.view === "teams" ? "teams" : "slack",
          });
          res.json(answer);
        }),
      );

      app.post(
        "/playground/command",
        localOnly,
        json,
        asyncRoute(async (req, res) => {
          const reply = await runPlaygroundCommand(
            { handoff: deps.handoff, answerCommand: deps.answerCommand },
            text(req.body?.text, "text"),
          );
          res.json({ reply });
        }),
      );

      app.post(
        "/playground/route",
        localOnly,
        json,
        asyncRoute(async (req, res) => {
          const mql = parseJsonText(text(req.body?.mql, "mql"), "The MQL");
          const preview = await previewRoute(deps.db, deps.batonConfig(), mql, now());
          res.json({ text: formatRoutePreview(preview), preview });
        }),
      );
    },
    close() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}
