/**
 * The YAML configuration (`BATON_CONFIG`): teams and reps, routing rules, SLA policies, the agenda schedule,
 * targets and admins. Parsed with zod; an error names its YAML path, e.g. `teams[1].timezone: …`.
 */
import fs from "node:fs";
import path from "node:path";
import { validate as validateCron } from "node-cron";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError, describeIssue } from "./config-error.ts";

export const EXAMPLE_CONFIG_PATH = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  "../../baton.config.example.yaml",
);

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const ZTimeZone = z.string().refine(isTimeZone, { error: (issue) => `unknown time zone "${String(issue.input)}"` });
const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time like "09:00"');
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const ZWorkingHours = z
  .object({
    days: z.array(z.enum(WEEKDAYS)).min(1).default(["mon", "tue", "wed", "thu", "fri"]),
    start: ZClock.default("09:00"),
    end: ZClock.default("17:00"),
  })
  .strict()
  .refine((hours) => hours.start < hours.end, { message: "start must be before end", path: ["end"] });
export type TWorkingHours = z.output<typeof ZWorkingHours>;

/** `slack:C0123ABCD`, `teams:19:…@thread.tacv2` or `console:<name>`: the platform is part of the id. */
const ZConversation = z
  .string()
  .regex(/^(slack|teams|console):.+$/, 'must start with "slack:", "teams:" or "console:"');

/** "30m", "4h", "2d" (business time for SLAs). */
const ZDuration = z
  .string()
  .regex(/^\d+(m|h|d)$/, 'must be a duration like "30m", "4h" or "1d"')
  .transform((value) => {
    const amount = Number(value.slice(0, -1));
    const unit = value.slice(-1);
    return amount * (unit === "m" ? 1 : unit === "h" ? 60 : 60 * 24);
  });

/** A calendar date, "2026-12-25": a holiday, read in the team's time zone. */
const ZIsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2026-12-25"')
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    error: (issue) => `no such date "${String(issue.input)}"`,
  });

const ZId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "must be lower-case letters, digits, - or _");

const ZRep = z
  .object({
    id: ZId,
    name: z.string().min(1),
    email: z.email().optional(),
    slackUserId: z.string().optional(),
    teamsUserId: z.string().optional(),
    capacity: z.number().int().min(0).default(10),
    away: z.boolean().default(false),
    timezone: ZTimeZone.optional(),
    workingHours: ZWorkingHours.optional(),
  })
  .strict();

const ZTeam = z
  .object({
    id: ZId,
    name: z.string().min(1),
    channel: ZConversation,
    /** Defaults to the configuration's `timezone`. */
    timezone: ZTimeZone.optional(),
    workingHours: ZWorkingHours.default({ days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" }),
    sla: ZId.optional(),
    /** Days off for this team on top of the configuration's `holidays`. */
    holidays: z.array(ZIsoDate).default([]),
    /** A rep id (of any team): gets a direct message when one of this team's SLA clocks is breached. */
    manager: ZId.optional(),
    /** This team's own weekly agenda: its cron schedule (default: `agenda.schedule`) and conversation (default: `channel`). */
    agenda: z
      .object({
        schedule: z.string().refine(validateCron, "must be a cron expression").optional(),
        channel: ZConversation.optional(),
      })
      .strict()
      .optional(),
    reps: z.array(ZRep).default([]),
  })
  .strict();

const ZRange = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: "min must be ≤ max" });

const ZRule = z
  .object({
    id: ZId,
    team: ZId,
    match: z
      .object({
        country: z.array(z.string().length(2).toUpperCase()).optional(),
        region: z.array(z.string()).optional(),
        segment: z.array(z.string()).optional(),
        employees: ZRange.optional(),
        industry: z.array(z.string()).optional(),
        score: ZRange.optional(),
        source: z.array(z.string()).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

const ZSegment = z
  .object({ id: ZId, minEmployees: z.number().int().min(0).default(0), maxEmployees: z.number().int().optional() })
  .strict();

const ZSlaPolicy = z
  .object({
    id: ZId,
    acceptWithin: ZDuration,
    firstTouchWithin: ZDuration,
    /** Fractions of the allowed time at which the owner is reminded, e.g. [0.5, 0.9]. */
    remindAt: z.array(z.number().gt(0).lt(1)).default([0.5, 0.9]),
    escalateTo: ZConversation.optional(),
    reassignOnBreach: z.boolean().default(true),
  })
  .strict();

/** Without an `sla:` section: accept within 30 business minutes, first touch within 4 business hours. */
const DEFAULT_SLA = {
  defaultPolicy: "standard",
  policies: [{ id: "standard", acceptWithin: 30, firstTouchWithin: 240, remindAt: [0.5, 0.9], reassignOnBreach: true }],
};

/**
 * Keys the configuration accepts that this version does not act on yet (KPIs and the agenda arrive in later
 * releases). Start-up names the ones a file sets, so nobody believes they are in force.
 */
const NOT_YET_ACTED_ON: { path: string; isSet: (raw: Record<string, unknown>) => boolean }[] = [];

/** Which of the keys this version does not act on yet the raw YAML sets. */
export function keysNotYetActedOn(raw: unknown): string[] {
  if (!raw || typeof raw !== "object") return [];
  return NOT_YET_ACTED_ON.filter((key) => key.isSet(raw as Record<string, unknown>)).map((key) => key.path);
}

export const ZBatonConfig = z
  .object({
    organization: z.string().default("Baton"),
    timezone: ZTimeZone.default("UTC"),
    /** Days off for every team (each read in the team's time zone): SLA clocks do not run on them. */
    holidays: z.array(ZIsoDate).default([]),
    /** Where reject reasons and lead-quality feedback go; without it they are only in the lead's history. */
    marketing: z
      .object({ name: z.string().default("Marketing"), channel: ZConversation })
      .strict()
      .optional(),
    teams: z.array(ZTeam).min(1, "at least one sales team is needed"),
    routing: z
      .object({
        segments: z.array(ZSegment).default([
          { id: "smb", minEmployees: 0, maxEmployees: 199 },
          { id: "mid-market", minEmployees: 200, maxEmployees: 999 },
          { id: "enterprise", minEmployees: 1000 },
        ]),
        namedAccounts: z.array(z.object({ domain: z.string().toLowerCase(), owner: ZId }).strict()).default([]),
        rules: z.array(ZRule).default([]),
        fallbackTeam: ZId,
      })
      .strict(),
    sla: z
      .object({
        defaultPolicy: ZId,
        policies: z.array(ZSlaPolicy).min(1),
      })
      .strict()
      .default(DEFAULT_SLA),
    agenda: z
      .object({
        /** node-cron expression in `timezone`, e.g. "0 9 * * MON". */
        schedule: z.string().refine(validateCron, "must be a cron expression").default("0 9 * * MON"),
        timezone: ZTimeZone.optional(),
        channel: ZConversation.optional(),
      })
      .strict()
      .default({ schedule: "0 9 * * MON" }),
    targets: z
      .object({
        /** MQLs marketing owes a week: pacing note mid-week and the result on Monday, in the marketing channel. */
        weeklyMqls: z.number().int().min(0).optional(),
        /** Share of decided offers sales should accept, e.g. 0.7: the MQL notes say whether it was met. */
        minAcceptanceRate: z.number().min(0).max(1).optional(),
        quotas: z
          .array(
            z
              .object({
                rep: ZId.optional(),
                team: ZId.optional(),
                period: z.string().regex(/^\d{4}-(Q[1-4]|\d{2})$/, 'must be a quarter "2026-Q4" or a month "2026-11"'),
                amount: z.number().min(0),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .default({ quotas: [] }),
    /** Personal data. */
    privacy: z
      .object({
        /**
         * Leads received more than this many days ago are anonymised by a daily job (src/jobs/data-retention.ts),
         * as `forget` does, keeping what KPIs count. Unset: kept until erased.
         */
        retentionDays: z.number().int().min(1).max(36_500).optional(),
      })
      .strict()
      .default({}),
    /** Platform-namespaced users allowed to run admin commands (e.g. reload the config). */
    admins: z.array(z.string().regex(/^(slack|teams|console):.+$/)).default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    const teamIds = new Set<string>();
    const repIds = new Set<string>();
    config.teams.forEach((team, t) => {
      if (teamIds.has(team.id))
        ctx.addIssue({ code: "custom", path: ["teams", t, "id"], message: `duplicate team id "${team.id}"` });
      teamIds.add(team.id);
      team.reps.forEach((rep, r) => {
        if (repIds.has(rep.id))
          ctx.addIssue({
            code: "custom",
            path: ["teams", t, "reps", r, "id"],
            message: `duplicate rep id "${rep.id}"`,
          });
        repIds.add(rep.id);
      });
    });
    const policyIds = new Set(config.sla.policies.map((policy) => policy.id));
    const unknown = (pathTo: PropertyKey[], kind: string, id: string) =>
      ctx.addIssue({ code: "custom", path: pathTo, message: `unknown ${kind} "${id}"` });
    if (!teamIds.has(config.routing.fallbackTeam))
      unknown(["routing", "fallbackTeam"], "team", config.routing.fallbackTeam);
    config.routing.rules.forEach((rule, i) => {
      if (!teamIds.has(rule.team)) unknown(["routing", "rules", i, "team"], "team", rule.team);
    });
    config.routing.namedAccounts.forEach((account, i) => {
      if (!repIds.has(account.owner)) unknown(["routing", "namedAccounts", i, "owner"], "rep", account.owner);
    });
    if (!policyIds.has(config.sla.defaultPolicy))
      unknown(["sla", "defaultPolicy"], "SLA policy", config.sla.defaultPolicy);
    config.teams.forEach((team, t) => {
      if (team.sla && !policyIds.has(team.sla)) unknown(["teams", t, "sla"], "SLA policy", team.sla);
      if (team.manager && !repIds.has(team.manager)) unknown(["teams", t, "manager"], "rep", team.manager);
    });
    config.targets.quotas.forEach((quota, i) => {
      if (Boolean(quota.rep) === Boolean(quota.team)) {
        ctx.addIssue({ code: "custom", path: ["targets", "quotas", i], message: "name exactly one of rep or team" });
      }
      if (quota.rep && !repIds.has(quota.rep)) unknown(["targets", "quotas", i, "rep"], "rep", quota.rep);
      if (quota.team && !teamIds.has(quota.team)) unknown(["targets", "quotas", i, "team"], "team", quota.team);
    });
  });

/** The parsed configuration, each team's time zone filled in from the top-level one where it names none. */
export type BatonConfig = Omit<z.output<typeof ZBatonConfig>, "teams"> & {
  teams: (z.output<typeof ZBatonConfig>["teams"][number] & { timezone: string })[];
  /** Keys set in the file that this version does not act on yet (see {@link keysNotYetActedOn}). */
  notYetActedOn: string[];
};
export type TeamConfig = BatonConfig["teams"][number];
export type RepConfig = TeamConfig["reps"][number];
export type RoutingRuleConfig = BatonConfig["routing"]["rules"][number];
export type SlaPolicyConfig = BatonConfig["sla"]["policies"][number];

/** Parses YAML text; errors name the file and the YAML path. */
export function parseBatonConfig(text: string, fileName = "config"): BatonConfig {
  // linePos is only filled in by yaml's pretty errors, whose multi-line message we don't want: count lines ourselves.
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const line = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    throw new ConfigError(
      `Invalid ${fileName}${line ? ` (line ${line.line}, column ${line.col})` : ""}: ${error.message.split("\n")[0]}`,
    );
  }
  const raw = document.toJS() ?? {};
  const result = ZBatonConfig.safeParse(raw);
  if (!result.success) throw new ConfigError(`Invalid ${fileName}: ${describeIssue(result.error.issues[0])}`);
  const config = result.data;
  return {
    ...config,
    teams: config.teams.map((team) => ({ ...team, timezone: team.timezone ?? config.timezone })),
    notYetActedOn: keysNotYetActedOn(raw),
  };
}

/**
 * Resolves which file to load: `BATON_CONFIG`, else `baton.config.yaml` in the working directory when present,
 * else the committed example, so that a fresh checkout starts.
 */
export function resolveConfigPath(configured: string | undefined, cwd = process.cwd()): string {
  if (configured) return path.resolve(cwd, configured);
  const local = path.resolve(cwd, "baton.config.yaml");
  return fs.existsSync(local) ? local : EXAMPLE_CONFIG_PATH;
}

export function loadBatonConfig(file: string): BatonConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`BATON_CONFIG: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return parseBatonConfig(text, path.basename(file));
}
