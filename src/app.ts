/**
 * Builds Baton from its parts: the database, the chat ports (Slack, Teams, console), the HTTP routes and the jobs.
 * `main.ts` calls this with real configuration; tests call it with fakes and an in-memory database.
 */
import type { Express } from "express";
import { createConfigReloader, type ReloadOutcome } from "./admin/config-reloader.ts";
import { createActionItemService } from "./agenda/action-item-service.ts";
import { postedAgendas } from "./agenda/agenda-targets.ts";
import { type AnswerCommand, createCommandAnswerer } from "./commands/answer-command.ts";
import type { BatonConfig } from "./config/baton-config.ts";
import type { RuntimeConfig } from "./config/env.ts";
import { ConsoleChat } from "./console/console-chat.ts";
import { analyzesOwnTables } from "./db/analyze-changed-tables.ts";
import type { Database } from "./db/database.ts";
import type { ChatPort, Platform } from "./domain/chat-message.ts";
import { createHandoffService } from "./handoff/handoff-service.ts";
import type { HandoffService } from "./handoff/handoff-types.ts";
import { createMetricsRoute } from "./http/metrics-route.ts";
import { createReadApiRoutes } from "./http/read-api.ts";
import { createHttpApp } from "./http/server.ts";
import { createIntakeRoutes } from "./intake/intake-routes.ts";
import { routeAndOfferLead } from "./intake/offer-lead.ts";
import { analyzeTablesJob } from "./jobs/analyze-tables.ts";
import { dataRetentionJob } from "./jobs/data-retention.ts";
import type { Job } from "./jobs/job.ts";
import { JobRunner } from "./jobs/job-runner.ts";
import { marketingMqlSlaJob } from "./jobs/marketing-mql-sla.ts";
import { outboxDeliveryJob } from "./jobs/outbox-delivery.ts";
import { slaSweepJob } from "./jobs/sla-sweep.ts";
import { catchUpAgendas, weeklyAgendaCatchUpJob, weeklyAgendaJob } from "./jobs/weekly-agenda.ts";
import type { Logger } from "./logger.ts";
import { BatonMetrics } from "./metrics/baton-metrics.ts";
import { notifyDeadLetter } from "./outbox/notify-dead-letter.ts";
import { OutboxWorker } from "./outbox/outbox-worker.ts";
import { PlaygroundFeed } from "./playground/playground-feed.ts";
import { createPlayground, type Playground } from "./playground/playground-routes.ts";
import { syncConfigToDatabase } from "./repositories/sync-config.ts";
import type { SlackConnection } from "./slack/socket-mode.ts";

export interface BatonDeps {
  config: RuntimeConfig;
  batonConfig: BatonConfig;
  db: Database;
  logger: Logger;
  /** The YAML file the configuration came from, for reloads. */
  configPath?: string;
  /** Local mode's output; defaults to stdout. */
  consoleWrite?: (text: string) => void;
  now?: () => Date;
  /**
   * Least time between two messages to one conversation, per platform (defaults: Slack's one a second). Tests that
   * do not measure pacing set 0, so a test sending five messages to one channel does not sleep five seconds.
   */
  outboxPacingMs?: Partial<Record<Platform, number>>;
}

export interface Baton {
  readonly app: Express;
  readonly ports: Partial<Record<Platform, ChatPort>>;
  readonly outbox: OutboxWorker;
  /** What `GET /metrics` reports. */
  readonly metrics: BatonMetrics;
  /** Accept / reject / next steps, shared by every chat adapter. */
  readonly handoff: HandoffService;
  /** `help`, `lead …`, `kpi …`: the command grammar every platform (and the console) shares. */
  readonly answerCommand: AnswerCommand;
  /** Runs the scheduled jobs; tests call `jobs.runOnce(job, now)`. */
  readonly jobs: JobRunner;
  /** The browser playground at `/`, when on (local mode by default). */
  readonly playground?: Playground;
  /** Reminders, breaches and re-offers of SLA clocks (every minute). */
  readonly slaSweep: Job;
  /** Marketing's weekly MQL SLA: the mid-week pacing note and the Monday result. */
  readonly mqlSla: { pacing: Job; result: Job };
  /** Anonymises leads past `privacy.retentionDays` (daily). */
  readonly dataRetention: Job;
  /** The weekly agendas of the configuration in force (joint and per team), as jobs. */
  weeklyAgendas(): ReturnType<typeof weeklyAgendaJob>[];
  /** Runs an outbox pass now (after something was enqueued), without waiting for it. */
  kickOutbox(): void;
  /** The configuration in force; replaced by {@link Baton.reloadConfig}. */
  batonConfig(): BatonConfig;
  reloadConfig(next: BatonConfig): Promise<void>;
  /** Re-reads the YAML file (SIGHUP, or an admin's command when `actor` is given); a bad file changes nothing. */
  reloadConfigFromFile(actor?: string): Promise<ReloadOutcome>;
  /**
   * Opens the connections Baton keeps to chat platforms (Slack in Socket Mode; nothing over HTTP). Resolves once
   * connected or retrying in the background; rejects when a platform refuses Baton's credentials.
   */
  connectChat(): Promise<void>;
  disconnectChat(): Promise<void>;
  /** Starts the scheduled jobs (`src/jobs/`: outbox delivery, …). */
  startJobs(): void;
  /**
   * The first step of a graceful shutdown: `/readyz` answers 503 from now on, no new job run or outbox pass
   * starts, and this resolves once the runs and deliveries in flight have finished. HTTP requests are still served
   * meanwhile; {@link Baton.stopJobs} afterwards sends what they queued.
   */
  drain(): Promise<void>;
  /** True once {@link Baton.drain} was called. */
  isDraining(): boolean;
  stopJobs(): Promise<void>;
}

export async function createBaton(deps: BatonDeps): Promise<Baton> {
  const { db, logger } = deps;
  let current = deps.batonConfig;
  await syncConfigToDatabase(db.prisma, current);
  // Where no autovacuum analyzes the tables, Baton does (src/jobs/analyze-tables.ts).
  const analyzeTables = await analyzesOwnTables(db);
  if (db.kind === "postgres" && analyzeTables) {
    logger.warn(
      "PostgreSQL's autovacuum is off: Baton analyzes its own tables every few seconds so that query plans follow " +
        "their growth. Nothing vacuums them: turn autovacuum on, or vacuum them regularly.",
    );
  }

  // The playground shows what every port delivers, as Slack and as Teams would; the ports work as before.
  const feed = deps.config.playground ? new PlaygroundFeed(deps.now) : undefined;
  const observed = (port: ChatPort) => feed?.observe(port) ?? port;
  const ports: Partial<Record<Platform, ChatPort>> = {
    // The console is always there: local mode prints everything, and a team may be `console:` while testing.
    console: observed(new ConsoleChat({ write: deps.consoleWrite })),
  };

  const metrics = new BatonMetrics(db.prisma);
  const outbox = new OutboxWorker({
    prisma: db.prisma,
    ports,
    logger: logger.child({ job: "outbox" }),
    now: deps.now,
    pacingMs: deps.outboxPacingMs,
    onOutcome: (platform, outcome) => metrics.delivered(platform, outcome),
    onDeadLetter: (outboxId) => notifyDeadLetter(db.prisma, current.admins, outboxId, deps.now?.()),
  });
  /** Set by {@link Baton.drain}: a shutdown began, no new outbox pass or job run starts here. */
  let draining = false;
  /**
   * Delivers new outbox messages now rather than at the next tick; errors are logged by the worker's pass. Passes
   * until nothing more goes out: a lead's messages leave one per pass (per-lead order), so a card update and the
   * owner's DM queued by one accept need two.
   */
  const kickOutbox = () => {
    if (draining) return;
    void outbox.drain().catch((error) => logger.error({ err: error }, "outbox pass failed"));
  };
  const mounts: ((app: Express) => void)[] = [];
  const connections: { name: Platform; connection: SlackConnection }[] = [];
  const applyConfig = async (next: BatonConfig) => {
    await syncConfigToDatabase(db.prisma, next);
    current = next;
  };
  const reloadConfigFromFile = createConfigReloader({
    configPath: deps.configPath,
    current: () => current,
    apply: applyConfig,
    logger,
  });
  const handoff = metrics.countDecisions(
    createHandoffService({
      prisma: db.prisma,
      batonConfig: () => current,
      logger: logger.child({ component: "handoff" }),
      now: deps.now,
      onOutbox: kickOutbox,
      reroute: (tx, input) => routeAndOfferLead(tx, input),
    }),
  );

  const answerCommand = createCommandAnswerer({
    prisma: db.prisma,
    batonConfig: () => current,
    reloadConfig: reloadConfigFromFile,
    logger: logger.child({ component: "commands" }),
    now: deps.now,
  });

  // Action items of the weekly agendas, for the adapters' shortcut, checkboxes and card ticks.
  const actionItems = createActionItemService({ prisma: db.prisma, batonConfig: () => current, now: deps.now });

  // Inbound webhooks (MQL intake, CRM funnel events) mount here.
  mounts.push(
    createIntakeRoutes({
      prisma: db.prisma,
      config: deps.config,
      batonConfig: () => current,
      logger: logger.child({ component: "intake" }),
      now: deps.now,
      onLeadStored: kickOutbox,
      metrics,
    }),
  );
  mounts.push(createMetricsRoute({ metrics, apiToken: deps.config.apiToken }));

  mounts.push(
    createReadApiRoutes({
      prisma: db.prisma,
      apiToken: deps.config.apiToken,
      batonConfig: () => current,
      now: deps.now,
    }),
  );

  // Chat platforms: each adapter registers its outbound port (ports.slack / ports.teams) and its HTTP route. Each is
  // loaded only when configured: Bolt and botbuilder are tens of MiB that local mode never uses.
  if (deps.config.slack) {
    const { createSlackAdapter } = await import("./slack/index.ts");
    const slack = createSlackAdapter({
      slack: deps.config.slack,
      handoff,
      answerCommand,
      prisma: db.prisma,
      logger: logger.child({ platform: "slack" }),
      actionItems,
    });
    ports.slack = observed(slack.port);
    mounts.push((app) => slack.mount(app));
    connections.push({ name: "slack", connection: slack.connection });
  }
  if (deps.config.teams) {
    const { createTeamsAdapter } = await import("./teams/index.ts");
    const teams = createTeamsAdapter({
      teams: deps.config.teams,
      botFramework: deps.config.botFramework,
      handoff,
      answerCommand,
      prisma: db.prisma,
      logger: logger.child({ platform: "teams" }),
      actionItems,
    });
    ports.teams = observed(teams.port);
    mounts.push((app) => teams.mount(app));
  }

  const playground = feed
    ? createPlayground({
        feed,
        handoff,
        db: db.prisma,
        batonConfig: () => current,
        intakeSigningSecret: deps.config.intakeSigningSecret,
        answerCommand,
        logger: logger.child({ component: "playground" }),
        now: deps.now,
      })
    : undefined;
  if (playground) mounts.push((app) => playground.mount(app));

  const app = createHttpApp({
    logger,
    isReady: () => db.isReady(),
    isDraining: () => draining,
    mounts,
    connections: connections.map(({ name, connection }) => ({ name, isConnected: () => connection.isConnected() })),
  });

  const jobs = new JobRunner({
    prisma: db.prisma,
    logger: logger.child({ component: "jobs" }),
    now: deps.now,
    onRun: (jobId, outcome) => {
      if (outcome !== "skipped") metrics.jobRan(jobId, outcome === "ran" ? "ok" : "failed");
    },
  });
  const slaSweep = slaSweepJob({
    prisma: db.prisma,
    batonConfig: () => current,
    logger: logger.child({ job: "sla-sweep" }),
    onOutbox: kickOutbox,
    onSwept: (outcome) => metrics.slaSwept(outcome),
  });
  const mqlSlaDeps = { prisma: db.prisma, batonConfig: () => current, onOutbox: kickOutbox };
  const mqlSla = { pacing: marketingMqlSlaJob(mqlSlaDeps, "pacing"), result: marketingMqlSlaJob(mqlSlaDeps, "result") };
  const dataRetention = dataRetentionJob({
    prisma: db.prisma,
    batonConfig: () => current,
    logger: logger.child({ job: "data-retention" }),
    onOutbox: kickOutbox,
  });
  const weeklyAgendas = () => postedAgendas(current).map((target) => weeklyAgendaJob(mqlSlaDeps, target));
  return {
    app,
    ports,
    outbox,
    metrics,
    handoff,
    answerCommand,
    jobs,
    playground,
    slaSweep,
    mqlSla,
    dataRetention,
    weeklyAgendas,
    kickOutbox,
    batonConfig: () => current,
    async reloadConfig(next) {
      await applyConfig(next);
      logger.info({ teams: next.teams.length }, "configuration reloaded");
    },
    reloadConfigFromFile,
    async connectChat() {
      await Promise.all(connections.map(({ connection }) => connection.start()));
    },
    async disconnectChat() {
      await Promise.all(connections.map(({ connection }) => connection.stop()));
    },
    startJobs() {
      const agendas = weeklyAgendas();
      const agendaCatchUp = weeklyAgendaCatchUpJob(
        db.prisma,
        () => agendas,
        (agenda, at) => jobs.runOnce(agenda, at),
      );
      jobs.start([
        outboxDeliveryJob(outbox),
        slaSweep,
        mqlSla.pacing,
        mqlSla.result,
        ...agendas,
        agendaCatchUp,
        dataRetention,
        ...(analyzeTables
          ? [analyzeTablesJob({ prisma: db.prisma, kind: db.kind, logger: logger.child({ job: "analyze-tables" }) })]
          : []),
      ]);
      // An agenda whose time passed this week while Baton was down goes out now, marked late.
      const now = (deps.now ?? (() => new Date()))();
      void catchUpAgendas(db.prisma, agendas, now, (agenda) => jobs.runOnce(agenda, now)).catch((error) =>
        logger.error({ err: error }, "agenda catch-up failed"),
      );
    },
    async drain() {
      draining = true;
      await jobs.stop();
      await outbox.pause();
    },
    isDraining: () => draining,
    async stopJobs() {
      await jobs.stop();
      // One last pass, so what was enqueued just before the stop still goes out.
      await outbox.runOnce().catch(() => 0);
    },
  };
}
