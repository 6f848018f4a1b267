/**
 * The lead lifecycle: every status a lead can be in, and one table of what may happen to it, by whom. Card
 * buttons, console commands, Teams invokes, the CRM webhook and the scheduled jobs all ask {@link transition};
 * the card shows a button exactly when the table lets a rep do that step.
 *
 *   new ─offer→ offered ─accept→ accepted ─first_touch→ contacted ─sql→ sql ─opportunity→ opportunity ─won/lost→
 *                  │ ↑                 └──────────── disqualify → recycled (back to marketing)
 *                reject└─offer (re-route, re-offer)
 *
 * Deal outcomes (opportunity, won, lost) come from a CRM, or from the card for teams without a CRM hook: a CRM may
 * jump straight to any of them, a rep only once the lead is an SQL.
 */

export const LEAD_STATUSES = [
  "new",
  "offered",
  "accepted",
  "rejected",
  "contacted",
  "sql",
  "opportunity",
  "won",
  "lost",
  "recycled",
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Who asks: a rep (card button, console, Teams invoke), a CRM webhook, or Baton itself (intake, jobs). */
export const LIFECYCLE_ACTORS = ["rep", "crm", "system"] as const;
export type LifecycleActor = (typeof LIFECYCLE_ACTORS)[number];

export const LEAD_EVENTS = [
  "offer",
  "accept",
  "reject",
  "first_touch",
  "sql",
  "disqualify",
  "opportunity",
  "won",
  "lost",
  "renewed",
  "churned",
] as const;
export type LeadEvent = (typeof LEAD_EVENTS)[number];

/** A team is working the lead: it counts against the owner's capacity, and a repeat MQL is linked to it. */
export const WORKING_STATUSES = ["accepted", "contacted", "sql", "opportunity"] as const satisfies LeadStatus[];
/** Open for sales: offered to a team or being worked. */
export const OPEN_STATUSES = ["new", "offered", ...WORKING_STATUSES] as const satisfies LeadStatus[];

const WORKING: readonly LeadStatus[] = WORKING_STATUSES;

interface EventRule {
  actors: readonly LifecycleActor[];
  /** Statuses the event applies to. */
  from: readonly LeadStatus[];
  /** Narrower than `from` for a rep: a deal is opened or closed from chat only once the lead is an SQL. */
  repFrom?: readonly LeadStatus[];
  /** Where the lead goes. Funnel steps along the working stages never move a lead backwards. */
  to: LeadStatus;
  /** What a person was trying to do, for the refusal: "Can't <verb>: <reason>." */
  verb: string;
}

/** The one table. Anything not listed here is refused. */
const RULES: Record<LeadEvent, EventRule> = {
  offer: { actors: ["system"], from: ["new", "offered", "rejected"], to: "offered", verb: "offer the lead" },
  accept: { actors: ["rep"], from: ["offered"], to: "accepted", verb: "accept the lead" },
  reject: { actors: ["rep"], from: ["offered"], to: "rejected", verb: "reject the lead" },
  first_touch: { actors: ["rep", "crm"], from: WORKING, to: "contacted", verb: "log a first touch" },
  sql: { actors: ["rep", "crm"], from: WORKING, to: "sql", verb: "mark the lead as SQL" },
  // Past SQL there is a deal: it is closed as lost (from the CRM or the card), not disqualified.
  disqualify: { actors: ["rep"], from: ["accepted", "contacted"], to: "recycled", verb: "disqualify the lead" },
  opportunity: {
    actors: ["rep", "crm"],
    from: WORKING,
    repFrom: ["sql"],
    to: "opportunity",
    verb: "open an opportunity",
  },
  won: { actors: ["rep", "crm"], from: WORKING, repFrom: ["sql", "opportunity"], to: "won", verb: "mark the lead won" },
  lost: {
    actors: ["rep", "crm"],
    from: WORKING,
    repFrom: ["sql", "opportunity"],
    to: "lost",
    verb: "mark the lead lost",
  },
  renewed: { actors: ["crm"], from: ["won"], to: "won", verb: "record a renewal" },
  churned: { actors: ["crm"], from: ["won"], to: "won", verb: "record churn" },
};

const STAGE_RANK: Partial<Record<LeadStatus, number>> = { accepted: 1, contacted: 2, sql: 3, opportunity: 4 };

export type Transition =
  /** `to` may equal the current status: a CRM event out of order is recorded without moving the lead back. */
  { allowed: true; to: LeadStatus; moves: boolean } | { allowed: false; reason: string; message: string };

function whyNot(status: LeadStatus, event: LeadEvent): string {
  if (event === "renewed" || event === "churned") return "only a won customer can renew or churn";
  switch (status) {
    case "new":
      return "the lead has not been offered to a team";
    case "offered":
      return "nobody has accepted the lead yet";
    case "rejected":
      return "sales rejected this lead";
    case "recycled":
      return "the lead was disqualified and went back to marketing";
    case "won":
    case "lost":
      return `the lead is already ${status}`;
    default:
      if (event === "accept" || event === "reject") return "the lead was already accepted";
      if (event === "disqualify") return "the lead is past SQL: close it as lost";
      if (event === "opportunity" && status === "opportunity") return "an opportunity is already open";
      if (event === "opportunity" || event === "won" || event === "lost") {
        return "the lead is not an SQL yet: mark it as SQL first";
      }
      if (event === "first_touch") {
        return status === "contacted" ? "a first touch is already logged" : "the lead is already past first touch";
      }
      if (event === "sql")
        return status === "sql" ? "the lead is already an SQL" : "the lead is already an opportunity";
      return `the lead is ${status}`;
  }
}

const refuse = (event: LeadEvent, reason: string): Transition => ({
  allowed: false,
  reason,
  message: `Can't ${RULES[event].verb}: ${reason}.`,
});

/**
 * May `actor` do `event` to a lead in `status`, and where does the lead go? A rep's step that would change
 * nothing (SQL on an opportunity, a second first touch) is refused, so a stale card says why; the same step from a
 * CRM is recorded and keeps the later status.
 */
export function transition(status: LeadStatus, event: LeadEvent, actor: LifecycleActor): Transition {
  const rule = RULES[event];
  if (!rule.actors.includes(actor)) return refuse(event, `only ${rule.actors.map(actorLabel).join(" or ")} can`);
  const from = actor === "rep" && rule.repFrom ? rule.repFrom : rule.from;
  if (!from.includes(status)) return refuse(event, whyNot(status, event));
  const rankFrom = STAGE_RANK[status];
  const rankTo = STAGE_RANK[rule.to];
  const to = rankFrom !== undefined && rankTo !== undefined && rankFrom >= rankTo ? status : rule.to;
  const moves = to !== status;
  // A CRM's opportunity event on an opportunity updates its amount; renewals keep a customer won. (A rep's
  // opportunity applies to an SQL only: `repFrom`.)
  const updatesInPlace = event === "opportunity" || event === "renewed" || event === "churned" || event === "offer";
  if (!moves && !updatesInPlace && actor === "rep") return refuse(event, whyNot(status, event));
  return { allowed: true, to, moves };
}

function actorLabel(actor: LifecycleActor): string {
  return actor === "rep" ? "a rep" : actor === "crm" ? "the CRM" : "Baton";
}

/** The steps a rep can take on a lead's card, in the order the buttons show. */
export const CARD_STEPS = [
  "accept",
  "reject",
  "first_touch",
  "sql",
  "disqualify",
  "opportunity",
  "won",
  "lost",
] as const satisfies LeadEvent[];
/** The card steps that open or close a deal: they ask for an amount (opportunity, won) or a reason (lost). */
export const DEAL_OUTCOME_STEPS = ["opportunity", "won", "lost"] as const satisfies CardStep[];
export type DealOutcomeStep = (typeof DEAL_OUTCOME_STEPS)[number];

export function isDealOutcomeStep(value: string): value is DealOutcomeStep {
  return (DEAL_OUTCOME_STEPS as readonly string[]).includes(value);
}
export type CardStep = (typeof CARD_STEPS)[number];

/** The card's buttons for a lead in `status`: exactly the steps the table lets a rep take. */
export function cardStepsFor(status: LeadStatus): CardStep[] {
  return CARD_STEPS.filter((step) => transition(status, step, "rep").allowed);
}

export function isLeadStatus(value: string): value is LeadStatus {
  return (LEAD_STATUSES as readonly string[]).includes(value);
}
